import { describe, expect, it } from 'vitest';
import { ServerClock, formatDuration, formatShort } from './clock.ts';

describe('clock', () => {
  it('formats the countdown', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(4 * 60_000 + 1)).toBe('04:01');
    expect(formatDuration(2 * 3_600_000)).toBe('2:00:00');
  });

  it('formats time left in tables', () => {
    expect(formatShort(40_000)).toBe('40 s');
    expect(formatShort(12 * 60_000)).toBe('12 min');
    expect(formatShort(65 * 60_000)).toBe('1 h 05 min');
  });

  it('corrects the local clock by the server time, halfway through the request', () => {
    const clock = new ServerClock();
    const local = Date.now();
    clock.sample(new Date(local + 60_000).toISOString(), local - 100, local + 100);
    const left = clock.remainingMs(new Date(local + 120_000).toISOString()) ?? 0;
    expect(left).toBeGreaterThan(59_000);
    expect(left).toBeLessThanOrEqual(60_000);
  });
});
