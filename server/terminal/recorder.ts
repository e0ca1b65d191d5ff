import { createWriteStream, type WriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { KubexamError } from '../errors.ts';

export interface RecorderOptions {
  width: number;
  height: number;
  title?: string;
  /** Unix time of the start, in seconds. @default now */
  timestamp?: number;
  /** Recorded in the header's `env`, as asciinema does. */
  env?: { TERM?: string; SHELL?: string };
  /**
   * Stop recording past this many bytes of file and leave a marker saying so: `yes` for an
   * hour must not fill the disk. @default 67108864 (64 MiB)
   */
  maxBytes?: number;
  /** Told when the file falls behind (`true`) and when it has caught up (`false`). */
  onPressure?: (congested: boolean) => void;
}

export const DEFAULT_RECORDING_LIMIT = 64 * 1024 * 1024;

/**
 * Streams an asciicast v2 recording: a JSON header line, then one `[seconds, code, data]` line
 * per event, where code is `o` (output), `i` (input), `r` (resize, `COLSxROWS`) or `m` (a
 * marker). Output and input arrive in chunks that may split a UTF-8 character; each has its
 * own streaming decoder so no character is mangled at a chunk boundary.
 */
export class AsciicastRecorder {
  readonly path: string;
  private readonly stream: WriteStream;
  private readonly started = performance.now();
  private readonly maxBytes: number;
  private readonly onPressure: ((congested: boolean) => void) | undefined;
  private readonly outputDecoder = new TextDecoder();
  private readonly inputDecoder = new TextDecoder();
  private written = 0;
  private truncated = false;
  private closed = false;
  private failure: Error | undefined;

  constructor(path: string, options: RecorderOptions) {
    this.path = path;
    this.maxBytes = options.maxBytes ?? DEFAULT_RECORDING_LIMIT;
    this.onPressure = options.onPressure;
    // Recordings hold whatever the candidate typed; only the server reads them.
    this.stream = createWriteStream(path, { flags: 'w', mode: 0o600 });
    this.stream.on('error', (error) => {
      this.failure = error;
    });
    this.stream.on('drain', () => this.onPressure?.(false));
    const header = {
      version: 2,
      width: options.width,
      height: options.height,
      timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
      ...(options.title !== undefined ? { title: options.title } : {}),
      ...(options.env ? { env: options.env } : {}),
    };
    this.line(JSON.stringify(header));
  }

  /** Bytes written to the file so far. */
  get bytes(): number {
    return this.written;
  }

  output(data: string | Uint8Array): void {
    this.event('o', typeof data === 'string' ? data : this.outputDecoder.decode(data, { stream: true }));
  }

  input(data: string | Uint8Array): void {
    this.event('i', typeof data === 'string' ? data : this.inputDecoder.decode(data, { stream: true }));
  }

  resize(cols: number, rows: number): void {
    this.event('r', `${cols}x${rows}`);
  }

  marker(label: string): void {
    this.event('m', label);
  }

  /** Flushes and closes the file; resolves with the bytes written. */
  async close(): Promise<number> {
    if (!this.closed) {
      this.closed = true;
      await new Promise<void>((resolve) => this.stream.end(resolve));
    }
    if (this.failure) {
      throw new KubexamError('RECORDING_FAILED', `cannot write the terminal recording ${this.path}: ${this.failure.message}`, {
        cause: this.failure,
      });
    }
    return this.written;
  }

  private event(code: 'o' | 'i' | 'r' | 'm', data: string): void {
    if (this.closed || this.truncated || data.length === 0) return;
    const seconds = Math.round(performance.now() - this.started) / 1000;
    const chunk = Buffer.from(`[${seconds}, ${JSON.stringify(code)}, ${JSON.stringify(data)}]\n`);
    if (this.written + chunk.length > this.maxBytes) {
      this.truncated = true;
      this.line(`[${seconds}, "m", ${JSON.stringify(`recording stopped at its ${this.maxBytes}-byte limit`)}]`);
      return;
    }
    this.write(chunk);
  }

  private line(text: string): void {
    this.write(Buffer.from(`${text}\n`));
  }

  private write(chunk: Buffer): void {
    this.written += chunk.length;
    if (!this.stream.write(chunk)) this.onPressure?.(true);
  }
}
