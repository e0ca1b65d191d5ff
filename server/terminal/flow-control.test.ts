import { describe, expect, it } from 'vitest';
import { FlowControl, PauseGate } from './flow-control.ts';

function recorded(high = 100, low = 10) {
  const events: string[] = [];
  const flow = new FlowControl({ high, low, onPause: () => events.push('pause'), onResume: () => events.push('resume') });
  return { flow, events };
}

describe('FlowControl', () => {
  it('pauses only once the unacknowledged bytes exceed the high watermark', () => {
    const { flow, events } = recorded();
    flow.sent(60);
    flow.sent(40);
    expect(events).toEqual([]);
    flow.sent(1);
    expect(events).toEqual(['pause']);
    expect(flow.paused).toBe(true);
    flow.sent(500);
    expect(events).toEqual(['pause']);
    expect(flow.pending).toBe(601);
  });

  it('resumes only below the low watermark, not on the first ack', () => {
    const { flow, events } = recorded();
    flow.sent(150);
    flow.acked(100);
    expect(events).toEqual(['pause']);
    flow.acked(40);
    expect(flow.pending).toBe(10);
    expect(events).toEqual(['pause']);
    flow.acked(1);
    expect(events).toEqual(['pause', 'resume']);
    expect(flow.paused).toBe(false);
  });

  it('never counts below zero when a client acks more than it was sent', () => {
    const { flow, events } = recorded();
    flow.acked(1_000);
    expect(flow.pending).toBe(0);
    flow.sent(101);
    expect(events).toEqual(['pause']);
  });

  it('reset forgets what is in flight and resumes', () => {
    const { flow, events } = recorded();
    flow.sent(1_000);
    flow.reset();
    expect(flow.pending).toBe(0);
    expect(events).toEqual(['pause', 'resume']);
    flow.reset();
    expect(events).toEqual(['pause', 'resume']);
  });

  it('uses the 256 KiB / 32 KiB defaults and refuses inverted marks', () => {
    const flow = new FlowControl({ onPause: () => undefined, onResume: () => undefined });
    expect([flow.high, flow.low]).toEqual([262_144, 32_768]);
    expect(() => new FlowControl({ high: 10, low: 10, onPause: () => undefined, onResume: () => undefined })).toThrow(
      /0 <= low < high/,
    );
  });
});

describe('PauseGate', () => {
  it('pauses on the first reason and resumes after the last one is released', () => {
    const events: string[] = [];
    const gate = new PauseGate(() => events.push('pause'), () => events.push('resume'));
    gate.hold('client');
    gate.hold('mirror');
    gate.hold('client');
    gate.release('client');
    expect(events).toEqual(['pause']);
    gate.release('unknown');
    gate.release('mirror');
    expect(events).toEqual(['pause', 'resume']);
    expect(gate.paused).toBe(false);
  });
});
