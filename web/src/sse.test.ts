import { describe, expect, it } from 'vitest';
import { SseParser } from './sse.ts';

describe('SseParser', () => {
  it('parses named events with JSON data', () => {
    const parser = new SseParser();
    expect(parser.push('event: state\ndata: {"state":"running"}\n\n')).toEqual([{ event: 'state', data: '{"state":"running"}', id: undefined }]);
  });

  it('joins events split across chunks, in the middle of a line and of a CRLF', () => {
    const parser = new SseParser();
    expect(parser.push('event: progress\r\nda')).toEqual([]);
    expect(parser.push('ta: {"scope":"cluster"}\r')).toEqual([]);
    expect(parser.push('\n\r\n')).toEqual([{ event: 'progress', data: '{"scope":"cluster"}', id: undefined }]);
  });

  it('joins multi-line data, ignores comments and defaults the event name', () => {
    const parser = new SseParser();
    expect(parser.push(': keep-alive\n\ndata: a\ndata: b\n\n')).toEqual([{ event: 'message', data: 'a\nb', id: undefined }]);
  });

  it('remembers the last event id and the retry interval', () => {
    const parser = new SseParser();
    parser.push('retry: 2500\nid: 7\nevent: alert\ndata: {"minutesLeft":5}\n\n');
    expect(parser.lastEventId).toBe('7');
    expect(parser.retryMs).toBe(2500);
  });

  it('does not dispatch an event without data', () => {
    const parser = new SseParser();
    expect(parser.push('event: state\n\n')).toEqual([]);
    expect(parser.push('data: x\n\n')).toEqual([{ event: 'message', data: 'x', id: undefined }]);
  });
});
