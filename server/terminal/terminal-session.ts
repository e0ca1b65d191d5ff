import serializePackage from '@xterm/addon-serialize';
import headlessPackage from '@xterm/headless';
import { spawn, type IPty } from 'node-pty';
import type { RawData, WebSocket } from 'ws';
import { describeError } from '../errors.ts';
import { debug } from '../log.ts';
import { FlowControl, PauseGate } from './flow-control.ts';
import { Opcode, ProtocolError, decodeClientMessage, encodeError, encodeExit, encodeSnapshot } from './protocol.ts';
import { AsciicastRecorder } from './recorder.ts';

const { Terminal } = headlessPackage;
const { SerializeAddon } = serializePackage;
type Mirror = InstanceType<typeof Terminal>;
type Serializer = InstanceType<typeof SerializeAddon>;

export interface TerminalCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

export interface TerminalSessionOptions {
  /** What runs in the pty: a `sandboxCommand()` for candidates, any program in tests. */
  command: TerminalCommand;
  /** @default 80 */
  cols?: number;
  /** @default 24 */
  rows?: number;
  /** Record an asciicast v2 file of everything shown and typed. */
  recording?: { path: string; title?: string; maxBytes?: number };
  /** How long the shell outlives its last connection, in ms. @default 120000 */
  graceMs?: number;
  /** Lines of history the server keeps for the snapshot. @default 1000 */
  scrollback?: number;
  /** Unacknowledged output bytes at which the pty is paused. @default 262144 */
  highWatermark?: number;
  /** ...and below which it resumes. @default 32768 */
  lowWatermark?: number;
  /** After a bulk frame, output arriving within this many ms is batched into the next one. @default 5 */
  coalesceMs?: number;
  /** A batch is sent early once it holds this much. @default 16384 */
  coalesceBytes?: number;
}

export interface TerminalExit {
  /** The shell's exit status; 128 + signal number when a signal ended it. */
  code: number;
  signal?: number;
  /** Size of the recording file, 0 without one. */
  recordingBytes: number;
}

interface Attachment {
  socket: WebSocket;
  /** The snapshot went out: output may follow. */
  live: boolean;
  onMessage: (data: RawData, isBinary: boolean) => void;
  onClose: () => void;
}

const OPEN = 1;
/** A frame at least this big means bulk output: what follows is batched for `coalesceMs`. */
const BULK_FRAME = 1024;
/** Close code telling a client another connection took its place: it must not reconnect. */
export const CLOSE_REPLACED = 4000;

/**
 * One candidate shell: a pty, a headless xterm mirror of its screen (fed every output byte, so
 * a reconnecting browser gets the screen back as a SNAPSHOT), an optional asciicast recording,
 * and at most one WebSocket at a time. A new attach replaces the old socket; when the socket
 * goes away the shell keeps running for `graceMs`, then is killed.
 *
 * Output is batched into frames without delaying an echo: a keystroke's echo goes out at once,
 * while a flood is gathered into frames of up to `coalesceBytes`. The pty is paused while the browser has more
 * than the high watermark unacknowledged or unsent, while the mirror is behind, or while the
 * recording file is; input is written straight through, so Ctrl-C works during a flood.
 */
export class TerminalSession {
  readonly pid: number;
  /** Settles when the shell has exited and its recording is closed. */
  readonly exited: Promise<TerminalExit>;
  private readonly pty: IPty;
  private readonly mirror: Mirror;
  private readonly serializer: Serializer;
  private readonly recorder: AsciicastRecorder | undefined;
  private readonly gate: PauseGate;
  private readonly clientFlow: FlowControl;
  private readonly mirrorFlow: FlowControl;
  private readonly graceMs: number;
  private readonly coalesceMs: number;
  private readonly coalesceBytes: number;
  private readonly exitListeners = new Set<(exit: TerminalExit) => void>();
  private attachment: Attachment | undefined;
  private outChunks: string[] = [];
  private outLength = 0;
  private windowTimer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private socketTimer: NodeJS.Timeout | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  private exitStatus: { code: number; signal?: number } | undefined;
  private cols: number;
  private rows: number;

  constructor(options: TerminalSessionOptions) {
    this.cols = options.cols ?? 80;
    this.rows = options.rows ?? 24;
    this.graceMs = options.graceMs ?? 120_000;
    this.coalesceMs = options.coalesceMs ?? 5;
    this.coalesceBytes = options.coalesceBytes ?? 16 * 1024;

    this.mirror = new Terminal({ cols: this.cols, rows: this.rows, scrollback: options.scrollback ?? 1000, allowProposedApi: true });
    this.serializer = new SerializeAddon();
    this.mirror.loadAddon(this.serializer as unknown as Parameters<Mirror['loadAddon']>[0]);

    const { command } = options;
    this.pty = spawn(command.file, command.args, {
      name: command.env['TERM'] ?? 'xterm-256color',
      cols: this.cols,
      rows: this.rows,
      env: command.env,
      ...(command.cwd ? { cwd: command.cwd } : {}),
      // Strings, not bytes: node-pty then sets IUTF8 on the tty, so the kernel's line editing
      // erases whole characters, and the mirror and recorder take text as it comes.
      encoding: 'utf8',
    });
    this.pid = this.pty.pid;
    debug(`terminal: pid ${this.pid} ${command.file} ${command.args.join(' ')}`);

    this.gate = new PauseGate(() => this.pty.pause(), () => this.pty.resume());
    const high = options.highWatermark;
    const low = options.lowWatermark;
    this.clientFlow = new FlowControl({
      ...(high !== undefined ? { high } : {}),
      ...(low !== undefined ? { low } : {}),
      onPause: () => this.gate.hold('client'),
      onResume: () => {
        this.gate.release('client');
        this.pump();
      },
    });
    this.mirrorFlow = new FlowControl({
      onPause: () => this.gate.hold('mirror'),
      onResume: () => this.gate.release('mirror'),
    });
    this.recorder = options.recording
      ? new AsciicastRecorder(options.recording.path, {
          width: this.cols,
          height: this.rows,
          ...(options.recording.title !== undefined ? { title: options.recording.title } : {}),
          ...(options.recording.maxBytes !== undefined ? { maxBytes: options.recording.maxBytes } : {}),
          env: { TERM: command.env['TERM'] ?? 'xterm-256color', ...(command.env['SHELL'] ? { SHELL: command.env['SHELL'] } : {}) },
          onPressure: (congested) => (congested ? this.gate.hold('recording') : this.gate.release('recording')),
        })
      : undefined;

    this.pty.onData((data) => this.output(data));
    this.exited = new Promise((resolve) => {
      this.pty.onExit(({ exitCode, signal }) => resolve(this.finish(exitCode, signal)));
    });
    this.startGrace();
  }

  get attached(): boolean {
    return this.attachment !== undefined;
  }

  /** The shell has ended (its recording may still be closing). */
  get hasExited(): boolean {
    return this.exitStatus !== undefined;
  }

  get size(): { cols: number; rows: number } {
    return { cols: this.cols, rows: this.rows };
  }

  /** Calls `listener` once the shell has exited (at once if it already has). Returns an unsubscribe. */
  onExit(listener: (exit: TerminalExit) => void): () => void {
    this.exitListeners.add(listener);
    void this.exited.then((exit) => {
      if (this.exitListeners.delete(listener)) listener(exit);
    });
    return () => this.exitListeners.delete(listener);
  }

  /**
   * Connects a WebSocket, replacing (and closing with 4000) any previous one. The socket first
   * gets a SNAPSHOT of the screen at `size` (the browser's, so the layout matches), then live
   * OUTPUT from exactly where the snapshot ends.
   */
  attach(socket: WebSocket, size?: { cols: number; rows: number }): void {
    const previous = this.attachment;
    if (previous) {
      this.release(previous);
      previous.socket.close(CLOSE_REPLACED, 'replaced by a newer connection');
    }
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    this.resetOutput();
    this.clientFlow.reset();
    if (size) this.resize(size.cols, size.rows);

    const attachment: Attachment = {
      socket,
      live: false,
      onMessage: (data, isBinary) => this.message(attachment, data, isBinary),
      onClose: () => {
        if (this.attachment === attachment) this.detach();
      },
    };
    this.attachment = attachment;
    socket.on('message', attachment.onMessage);
    socket.on('close', attachment.onClose);

    // Everything written to the mirror so far is on screen once this empty write's callback
    // runs; output arriving meanwhile waits in the batch and follows the snapshot.
    this.mirror.write('', () => {
      if (this.attachment !== attachment) return;
      this.send(socket, encodeSnapshot(this.serializer.serialize()));
      attachment.live = true;
      if (this.exitStatus) this.sendExit(attachment);
      else this.pump();
    });
  }

  /** Disconnects the socket, if any; the shell lives on for the grace period. */
  detach(): void {
    const attachment = this.attachment;
    if (!attachment) return;
    this.release(attachment);
    this.attachment = undefined;
    this.resetOutput();
    this.clientFlow.reset();
    if (attachment.socket.readyState === OPEN) attachment.socket.close(1000, 'detached');
    this.startGrace();
  }

  /** Ends the shell: SIGHUP, then SIGKILL if it is still there after 3 s. */
  kill(): Promise<TerminalExit> {
    if (!this.exitStatus) {
      this.pty.kill('SIGHUP');
      setTimeout(() => {
        if (!this.exitStatus) this.pty.kill('SIGKILL');
      }, 3_000).unref();
    }
    return this.exited;
  }

  resize(cols: number, rows: number): void {
    if (cols === this.cols && rows === this.rows) return;
    this.cols = cols;
    this.rows = rows;
    this.mirror.resize(cols, rows);
    this.recorder?.resize(cols, rows);
    if (!this.exitStatus) this.pty.resize(cols, rows);
  }

  private output(data: string): void {
    const length = data.length;
    this.mirrorFlow.sent(length);
    this.mirror.write(data, () => this.mirrorFlow.acked(length));
    this.recorder?.output(data);
    if (!this.attachment) return;
    this.outChunks.push(data);
    this.outLength += length;
    this.pump();
  }

  /**
   * Sends the batch if the socket may take it. Chunks read in the same turn of the event loop
   * go out together (no added latency, so an echo returns at once); after a bulk frame,
   * output is gathered for `coalesceMs` or until `coalesceBytes`, so a flood makes few frames.
   */
  private pump(): void {
    const attachment = this.attachment;
    if (!attachment?.live || this.outLength === 0 || this.blocked) return;
    if (this.outLength >= this.coalesceBytes) {
      this.flush(attachment);
      return;
    }
    if (this.windowTimer || this.immediate) return;
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      this.flushIfReady();
    });
  }

  private flushIfReady(): void {
    const attachment = this.attachment;
    if (attachment?.live && this.outLength > 0 && !this.blocked) this.flush(attachment);
  }

  private flush(attachment: Attachment): void {
    const text = this.outChunks.length === 1 ? (this.outChunks[0] as string) : this.outChunks.join('');
    this.outChunks = [];
    this.outLength = 0;
    // Buffer is fine here (server only): one allocation, UTF-8 written in place after the opcode.
    const size = Buffer.byteLength(text);
    const frame = Buffer.allocUnsafe(size + 1);
    frame[0] = Opcode.OUTPUT;
    frame.write(text, 1);
    this.send(attachment.socket, frame);
    this.clientFlow.sent(size);
    if (attachment.socket.bufferedAmount > this.clientFlow.high) this.waitForSocket(attachment);
    if (size >= BULK_FRAME && !this.windowTimer) {
      this.windowTimer = setTimeout(() => {
        this.windowTimer = undefined;
        this.flushIfReady();
      }, this.coalesceMs);
    }
  }

  private message(attachment: Attachment, data: RawData, isBinary: boolean): void {
    if (this.attachment !== attachment) return;
    if (!isBinary) {
      attachment.socket.close(1003, 'binary frames only');
      return;
    }
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    let decoded;
    try {
      decoded = decodeClientMessage(bytes);
    } catch (error) {
      const message = error instanceof ProtocolError ? error.message : describeError(error);
      this.send(attachment.socket, encodeError('TERMINAL_PROTOCOL', message));
      attachment.socket.close(1002, 'protocol error');
      return;
    }
    switch (decoded.type) {
      case 'input':
        if (this.exitStatus) return;
        this.pty.write(Buffer.from(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength));
        this.recorder?.input(decoded.data);
        return;
      case 'resize':
        this.resize(decoded.cols, decoded.rows);
        return;
      case 'ack':
        this.clientFlow.acked(decoded.bytes);
        return;
    }
  }

  private finish(exitCode: number, signal: number | undefined): Promise<TerminalExit> {
    const code = signal ? 128 + signal : exitCode;
    this.exitStatus = signal ? { code, signal } : { code };
    debug(`terminal: pid ${this.pid} exited with ${code}`);
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    const attachment = this.attachment;
    if (attachment?.live) this.sendExit(attachment);
    const recording = this.recorder
      ? this.recorder.close().catch((error: unknown) => {
          debug(`terminal: pid ${this.pid}: ${describeError(error)}`);
          return this.recorder?.bytes ?? 0;
        })
      : Promise.resolve(0);
    return recording.then((recordingBytes) => {
      const exit: TerminalExit = { ...this.exitStatus, code, recordingBytes };
      for (const listener of this.exitListeners) listener(exit);
      this.exitListeners.clear();
      return exit;
    });
  }

  private sendExit(attachment: Attachment): void {
    if (this.outLength > 0) this.flush(attachment);
    this.send(attachment.socket, encodeExit(this.exitStatus?.code ?? 0));
    this.release(attachment);
    this.attachment = undefined;
    attachment.socket.close(1000, 'shell exited');
  }

  private get blocked(): boolean {
    return this.clientFlow.paused || this.socketTimer !== undefined;
  }

  /**
   * A client that acks what it never read would let frames pile up in the server's socket
   * buffer: hold the pty until the socket has drained (ws has no drain event of its own).
   */
  private waitForSocket(attachment: Attachment): void {
    if (this.socketTimer) return;
    this.gate.hold('socket');
    this.socketTimer = setInterval(() => {
      if (this.attachment === attachment && attachment.socket.bufferedAmount >= this.clientFlow.low) return;
      clearInterval(this.socketTimer);
      this.socketTimer = undefined;
      this.gate.release('socket');
      this.pump();
    }, 20);
  }

  private send(socket: WebSocket, frame: Uint8Array): void {
    if (socket.readyState === OPEN) socket.send(frame, { binary: true });
  }

  private release(attachment: Attachment): void {
    attachment.socket.off('message', attachment.onMessage);
    attachment.socket.off('close', attachment.onClose);
  }

  /** Drops the unsent batch: the mirror already has it, and the next snapshot will too. */
  private resetOutput(): void {
    clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
    clearImmediate(this.immediate);
    this.immediate = undefined;
    this.outChunks = [];
    this.outLength = 0;
  }

  private startGrace(): void {
    if (this.exitStatus) return;
    clearTimeout(this.graceTimer);
    this.graceTimer = setTimeout(() => {
      debug(`terminal: pid ${this.pid} had no connection for ${this.graceMs} ms, ending it`);
      void this.kill();
    }, this.graceMs);
    this.graceTimer.unref();
  }
}
