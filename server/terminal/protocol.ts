/**
 * The terminal WebSocket protocol, shared by the server and the browser (Uint8Array only, no
 * Node APIs). Every WebSocket message is one binary frame: a one-byte opcode, then a payload.
 *
 * Client to server: `INPUT` (UTF-8 keystrokes), `RESIZE` (JSON `{cols, rows}`), `ACK` (uint32
 * big-endian: bytes of OUTPUT payload the client has rendered since its last ACK).
 * Server to client: `OUTPUT` (terminal bytes), `SNAPSHOT` (the serialized screen, written first
 * on every connect; not counted by ACK), `EXIT` (JSON `{code}`), `ERROR` (JSON `{code, message}`).
 */
import { KubexamError } from '../errors.ts';

export const Opcode = {
  INPUT: 0x00,
  RESIZE: 0x01,
  ACK: 0x02,
  OUTPUT: 0x10,
  SNAPSHOT: 0x11,
  EXIT: 0x12,
  ERROR: 0x13,
} as const;

export type ClientMessage =
  | { type: 'input'; data: Uint8Array }
  | { type: 'resize'; cols: number; rows: number }
  | { type: 'ack'; bytes: number };

export type ServerMessage =
  | { type: 'output'; data: Uint8Array }
  | { type: 'snapshot'; data: Uint8Array }
  | { type: 'exit'; code: number }
  | { type: 'error'; code: string; message: string };

/** An encoded frame: its own ArrayBuffer, as WebSocket.send in the browser wants. */
export type Frame = Uint8Array<ArrayBuffer>;

/** Terminal sizes beyond this are refused: a huge resize would make the server mirror allocate it. */
export const MAX_COLS = 1000;
export const MAX_ROWS = 500;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class ProtocolError extends KubexamError {
  constructor(message: string) {
    super('TERMINAL_PROTOCOL', message);
    this.name = 'ProtocolError';
  }
}

function frame(opcode: number, payload: Uint8Array): Frame {
  const out = new Uint8Array(payload.length + 1);
  out[0] = opcode;
  out.set(payload, 1);
  return out;
}

function jsonFrame(opcode: number, value: unknown): Frame {
  return frame(opcode, encoder.encode(JSON.stringify(value)));
}

function bytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? encoder.encode(data) : data;
}

export function encodeInput(data: Uint8Array | string): Frame {
  return frame(Opcode.INPUT, bytes(data));
}

export function encodeResize(cols: number, rows: number): Frame {
  return jsonFrame(Opcode.RESIZE, { cols, rows });
}

export function encodeAck(count: number): Frame {
  const out = new Uint8Array(5);
  out[0] = Opcode.ACK;
  new DataView(out.buffer).setUint32(1, count >>> 0, false);
  return out;
}

export function encodeOutput(data: Uint8Array | string): Frame {
  return frame(Opcode.OUTPUT, bytes(data));
}

export function encodeSnapshot(screen: Uint8Array | string): Frame {
  return frame(Opcode.SNAPSHOT, bytes(screen));
}

export function encodeExit(code: number): Frame {
  return jsonFrame(Opcode.EXIT, { code });
}

export function encodeError(code: string, message: string): Frame {
  return jsonFrame(Opcode.ERROR, { code, message });
}

function parseJson(payload: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(payload));
  } catch {
    throw new ProtocolError(`${what} payload is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError(`${what} payload must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function dimension(value: unknown, max: number, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new ProtocolError(`RESIZE ${name} must be an integer from 1 to ${max}`);
  }
  return value;
}

/** Decodes a client frame. Payloads are views into `data`, not copies. Throws ProtocolError. */
export function decodeClientMessage(data: Uint8Array): ClientMessage {
  if (data.length === 0) throw new ProtocolError('empty frame');
  const payload = data.subarray(1);
  switch (data[0]) {
    case Opcode.INPUT:
      return { type: 'input', data: payload };
    case Opcode.RESIZE: {
      const json = parseJson(payload, 'RESIZE');
      return { type: 'resize', cols: dimension(json['cols'], MAX_COLS, 'cols'), rows: dimension(json['rows'], MAX_ROWS, 'rows') };
    }
    case Opcode.ACK:
      if (payload.length !== 4) throw new ProtocolError('ACK payload must be a 4-byte unsigned integer');
      return { type: 'ack', bytes: new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0, false) };
    default:
      throw new ProtocolError(`unknown client opcode 0x${(data[0] ?? 0).toString(16).padStart(2, '0')}`);
  }
}

/** Decodes a server frame. Payloads are views into `data`, not copies. Throws ProtocolError. */
export function decodeServerMessage(data: Uint8Array): ServerMessage {
  if (data.length === 0) throw new ProtocolError('empty frame');
  const payload = data.subarray(1);
  switch (data[0]) {
    case Opcode.OUTPUT:
      return { type: 'output', data: payload };
    case Opcode.SNAPSHOT:
      return { type: 'snapshot', data: payload };
    case Opcode.EXIT: {
      const code = parseJson(payload, 'EXIT')['code'];
      if (typeof code !== 'number') throw new ProtocolError('EXIT code must be a number');
      return { type: 'exit', code };
    }
    case Opcode.ERROR: {
      const json = parseJson(payload, 'ERROR');
      return { type: 'error', code: String(json['code'] ?? 'UNKNOWN'), message: String(json['message'] ?? '') };
    }
    default:
      throw new ProtocolError(`unknown server opcode 0x${(data[0] ?? 0).toString(16).padStart(2, '0')}`);
  }
}
