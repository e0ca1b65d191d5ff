import { WebSocket } from 'ws';
import { decodeServerMessage, encodeAck, encodeInput } from '../server/terminal/protocol.ts';
import { rssKiB, sampleRss } from './child.ts';

/**
 * One terminal connection as the bench's Node ws client sees it, whatever the server's wire
 * protocol: keystrokes in, terminal bytes out. The client consumes as fast as it can: it
 * renders nothing, and acknowledges (kubexam) every frame as it arrives.
 */
export interface TerminalWire {
  type(text: string): void;
  /** Called with every chunk of terminal output (kubexam's first SNAPSHOT included). */
  onOutput: (data: Buffer) => void;
  close(): void;
}

type Protocol = 'kubexam' | 'ttyd' | 'raw';

/**
 * Opens a terminal WebSocket. `kubexam`: opcode frames (server/terminal/protocol.ts), ACK per
 * OUTPUT frame. `ttyd`: subprotocol `tty`, a JSON hello `{columns, rows}` starts the process,
 * then `'0'` + bytes both ways. `raw`: bytes both ways.
 */
export async function openWire(protocol: Protocol, url: string, origin?: string): Promise<TerminalWire> {
  const ws = new WebSocket(url, protocol === 'ttyd' ? ['tty'] : [], { ...(origin ? { origin } : {}), perMessageDeflate: false });
  ws.binaryType = 'nodebuffer';
  const wire: TerminalWire = {
    type(text) {
      const bytes = Buffer.from(text);
      if (protocol === 'kubexam') ws.send(encodeInput(bytes));
      else if (protocol === 'ttyd') ws.send(Buffer.concat([Buffer.from('0'), bytes]));
      else ws.send(bytes);
    },
    onOutput: () => undefined,
    close: () => ws.close(1000),
  };
  ws.on('message', (data: Buffer) => {
    if (protocol === 'raw') return wire.onOutput(data);
    if (protocol === 'ttyd') {
      if (data[0] === 0x30) wire.onOutput(data.subarray(1)); // '0' OUTPUT; '1' title, '2' preferences
      return;
    }
    const message = decodeServerMessage(data);
    if (message.type === 'output') {
      ws.send(encodeAck(message.data.length));
      wire.onOutput(Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength));
    } else if (message.type === 'snapshot') {
      wire.onOutput(Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength));
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`${url.replace(/ticket=[^&]+/, 'ticket=…')}: upgrade refused with ${res.statusCode}`)));
  });
  if (protocol === 'ttyd') ws.send(Buffer.from(JSON.stringify({ AuthToken: '', columns: 80, rows: 24 })));
  return wire;
}

const plain = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/** Resolves once `pattern` shows in the output that arrives from now on. */
export function waitForOutput(wire: TerminalWire, pattern: RegExp, ms = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${pattern}; last output: ${JSON.stringify(plain(text).slice(-300))}`)), ms);
    wire.onOutput = (data) => {
      text = (text + data.toString('latin1')).slice(-8192);
      if (pattern.test(plain(text))) {
        clearTimeout(timer);
        wire.onOutput = () => undefined;
        resolve();
      }
    };
  });
}

/** Milliseconds from sending `text` to the first output after it. */
function firstOutput(wire: TerminalWire, text: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no echo of ${JSON.stringify(text)} in 10 s`)), 10_000);
    let started = 0;
    wire.onOutput = () => {
      const ms = performance.now() - started;
      clearTimeout(timer);
      wire.onOutput = () => undefined;
      resolve(ms);
    };
    started = performance.now();
    wire.type(text);
  });
}

/**
 * Keystroke round trips at the shell prompt: type `x`, time until the first output (its echo),
 * then erase it with DEL (untimed). `warmup` untimed strokes first.
 */
export async function keystrokeRoundTrips(wire: TerminalWire, count: number, warmup = 20): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < warmup + count; i++) {
    const ms = await firstOutput(wire, 'x');
    await firstOutput(wire, '\x7f');
    if (i >= warmup) times.push(ms);
  }
  // A DEL's echo can come in two reads; let the line settle before whatever comes next.
  await new Promise((r) => setTimeout(r, 100));
  return times;
}

export interface BulkRun {
  bytes: number;
  ms: number;
  /** Bytes of output per second, in MB (10^6 bytes). */
  mbPerSecond: number;
  rssBeforeKiB: number;
  rssPeakKiB: number;
  rssSamples: number;
}

/**
 * Bulk output: runs `head -c N /dev/zero | tr '\0' a` (N bytes, no newline, so exactly N bytes
 * through the pty), then an end marker. Timed from Enter to the marker; the server's VmRSS is
 * sampled every 20 ms meanwhile.
 */
export async function bulkOutput(wire: TerminalWire, bytes: number, serverPid: number, prompt: RegExp): Promise<BulkRun> {
  const marker = 'BULK-42-END';
  // The command's echo must not contain the marker: the shell computes 42.
  wire.type(`head -c ${bytes} /dev/zero | tr '\\0' a; echo; echo BULK-$((40+2))-END`);
  await waitForOutput(wire, /-END$/, 10_000);
  const rssBefore = await rssKiB(serverPid);
  const sampler = sampleRss(serverPid);
  let received = 0;
  let tail = '';
  const done = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bulk output: only ${received} bytes after 600 s`)), 600_000);
    wire.onOutput = (data) => {
      received += data.length;
      const text = tail + data.toString('latin1', Math.max(0, data.length - 256));
      if (text.includes(marker)) {
        clearTimeout(timer);
        wire.onOutput = () => undefined;
        resolve(performance.now());
      }
      tail = text.slice(-32);
    };
  });
  const started = performance.now();
  wire.type('\r');
  const ended = await done;
  const rss = await sampler.stop();
  const ms = ended - started;
  await waitForPrompt(wire, prompt);
  return { bytes: received, ms, mbPerSecond: bytes / 1e6 / (ms / 1000), rssBeforeKiB: rssBefore, rssPeakKiB: rss.peakKiB, rssSamples: rss.samples };
}

/** Presses Enter and waits for a fresh prompt: the shell is idle again. */
export async function waitForPrompt(wire: TerminalWire, prompt: RegExp): Promise<void> {
  const waiting = waitForOutput(wire, prompt, 30_000);
  wire.type('\r');
  await waiting;
}
