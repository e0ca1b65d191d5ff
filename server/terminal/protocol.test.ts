import { describe, expect, it } from 'vitest';
import {
  Opcode,
  ProtocolError,
  decodeClientMessage,
  decodeServerMessage,
  encodeAck,
  encodeError,
  encodeExit,
  encodeInput,
  encodeOutput,
  encodeResize,
  encodeSnapshot,
} from './protocol.ts';

const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe('client frames', () => {
  it('round-trips input as UTF-8 with the opcode first', () => {
    const frame = encodeInput('ls -l ✓\r');
    expect(frame[0]).toBe(Opcode.INPUT);
    const message = decodeClientMessage(frame);
    expect(message.type).toBe('input');
    if (message.type === 'input') expect(text(message.data)).toBe('ls -l ✓\r');
  });

  it('passes Ctrl-C through as a single byte', () => {
    expect([...encodeInput('\x03')]).toEqual([0x00, 0x03]);
  });

  it('round-trips resize', () => {
    expect(decodeClientMessage(encodeResize(120, 40))).toEqual({ type: 'resize', cols: 120, rows: 40 });
  });

  it('encodes ack as uint32 big-endian', () => {
    expect([...encodeAck(0x01020304)]).toEqual([0x02, 1, 2, 3, 4]);
    expect(decodeClientMessage(encodeAck(4_000_000_000))).toEqual({ type: 'ack', bytes: 4_000_000_000 });
  });

  it('decodes payloads as views, not copies', () => {
    const frame = encodeInput('abc');
    const message = decodeClientMessage(frame);
    if (message.type !== 'input') throw new Error('expected input');
    expect(message.data.buffer).toBe(frame.buffer);
  });

  it('decodes a frame that sits inside a larger buffer', () => {
    const backing = new Uint8Array(16);
    backing.set(encodeAck(77), 3);
    expect(decodeClientMessage(backing.subarray(3, 8))).toEqual({ type: 'ack', bytes: 77 });
  });

  it.each([
    ['an empty frame', new Uint8Array(0), /empty frame/],
    ['an unknown opcode', Uint8Array.of(0x7f, 1), /unknown client opcode 0x7f/],
    ['a server opcode', encodeOutput('x'), /unknown client opcode 0x10/],
    ['a short ack', Uint8Array.of(Opcode.ACK, 0, 1), /4-byte/],
    ['resize that is not JSON', Uint8Array.of(Opcode.RESIZE, 0x7b), /not JSON/],
    ['resize with zero rows', encodeResize(80, 0), /rows must be an integer from 1 to 500/],
    ['resize with fractional cols', encodeResize(80.5, 24), /cols must be an integer/],
    ['resize beyond the limit', encodeResize(100_000, 24), /cols must be an integer from 1 to 1000/],
  ])('rejects %s', (_name, frame, message) => {
    expect(() => decodeClientMessage(frame)).toThrow(ProtocolError);
    expect(() => decodeClientMessage(frame)).toThrow(message);
  });
});

describe('server frames', () => {
  it('round-trips output bytes unchanged, including invalid UTF-8', () => {
    const raw = Uint8Array.of(0x1b, 0x5b, 0x33, 0x31, 0x6d, 0xff, 0xc3);
    const message = decodeServerMessage(encodeOutput(raw));
    expect(message.type).toBe('output');
    if (message.type === 'output') expect([...message.data]).toEqual([...raw]);
  });

  it('round-trips snapshot, exit and error', () => {
    const snapshot = decodeServerMessage(encodeSnapshot('\x1b[1mprompt$ \x1b[0m'));
    expect(snapshot.type).toBe('snapshot');
    if (snapshot.type === 'snapshot') expect(text(snapshot.data)).toBe('\x1b[1mprompt$ \x1b[0m');
    expect(decodeServerMessage(encodeExit(130))).toEqual({ type: 'exit', code: 130 });
    expect(decodeServerMessage(encodeError('TERMINAL_GONE', 'the shell ended'))).toEqual({
      type: 'error',
      code: 'TERMINAL_GONE',
      message: 'the shell ended',
    });
  });

  it('rejects client opcodes and malformed JSON', () => {
    expect(() => decodeServerMessage(encodeInput('x'))).toThrow(/unknown server opcode 0x00/);
    expect(() => decodeServerMessage(Uint8Array.of(Opcode.EXIT, 0x5b, 0x5d))).toThrow(/JSON object/);
    expect(() => decodeServerMessage(Uint8Array.of(Opcode.EXIT, ...new TextEncoder().encode('{"code":"1"}')))).toThrow(
      /EXIT code must be a number/,
    );
  });
});
