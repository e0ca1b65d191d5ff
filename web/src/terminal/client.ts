import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { decodeServerMessage, encodeAck, encodeInput, encodeResize, type Frame } from '../../../server/terminal/protocol.ts';

export type TerminalStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface MountTerminalOptions {
  /** A fresh WebSocket URL, one-time ticket included (a path is resolved against the page). Called for every connection. */
  connect: () => Promise<string>;
  onStatus?: (status: TerminalStatus) => void;
  /** Stop reconnecting after this long without a connection (the server keeps a shell 120 s). @default 120000 */
  giveUpAfterMs?: number;
}

export interface MountedTerminal {
  dispose(): void;
  focus(): void;
}

/** Ack rendered output in batches: every 32 KiB, or once output goes quiet. */
const ACK_BATCH = 32 * 1024;
const ACK_IDLE_MS = 25;
/** Keystrokes and pastes go out in frames well under the server's 64 KiB limit. */
const INPUT_FRAME = 16 * 1024;
/** Server close code: another window took this terminal over. */
const CLOSE_REPLACED = 4000;
const OPEN = 1;

const encoder = new TextEncoder();

function statusLine(text: string, color: 'yellow' | 'red' | 'dim'): string {
  const sgr = { yellow: '33', red: '31', dim: '2' }[color];
  return `\r\n\x1b[0;${sgr}m[${text}]\x1b[0m`;
}

/**
 * Mounts an xterm.js terminal in `container` and keeps it connected to a server-side shell.
 * Each connection starts with a SNAPSHOT of the screen; OUTPUT is acknowledged once xterm has
 * processed it, so a flood is paused on the server instead of piling up in the browser. On a
 * dropped connection it reconnects with backoff, asking `connect()` for a new ticket each time,
 * and says so on a status line in the terminal; when it gives up, Enter tries again.
 *
 * @example
 * const terminal = mountTerminal(el, { connect: async () => (await api.terminalTicket(id, 'shell')).url });
 */
export function mountTerminal(container: HTMLElement, options: MountTerminalOptions): MountedTerminal {
  const giveUpAfterMs = options.giveUpAfterMs ?? 120_000;
  const term = new Terminal({
    cursorBlink: true,
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace',
    fontSize: 14,
    scrollback: 5000,
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(container);
  safeFit();

  let socket: WebSocket | undefined;
  /** Bumped for every connection, so late callbacks of an old one do nothing. */
  let generation = 0;
  let status: TerminalStatus | undefined;
  let disposed = false;
  let exited = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let lostAt = 0;

  function setStatus(next: TerminalStatus): void {
    if (next === status) return;
    status = next;
    options.onStatus?.(next);
  }

  function safeFit(): void {
    // A hidden container has no size; fitting then would shrink the terminal to nothing.
    if (container.clientWidth > 0 && container.clientHeight > 0) fit.fit();
  }

  function send(frame: Frame): void {
    if (socket?.readyState === OPEN) socket.send(frame);
  }

  function sendInput(bytes: Uint8Array): void {
    for (let offset = 0; offset < bytes.length; offset += INPUT_FRAME) {
      send(encodeInput(bytes.subarray(offset, offset + INPUT_FRAME)));
    }
  }

  function socketUrl(url: string): string {
    const resolved = new URL(url, window.location.href);
    if (resolved.protocol === 'http:') resolved.protocol = 'ws:';
    if (resolved.protocol === 'https:') resolved.protocol = 'wss:';
    resolved.searchParams.set('cols', String(term.cols));
    resolved.searchParams.set('rows', String(term.rows));
    return resolved.toString();
  }

  async function connect(): Promise<void> {
    const current = ++generation;
    clearTimeout(retryTimer);
    setStatus(attempt === 0 && lostAt === 0 ? 'connecting' : 'reconnecting');
    let url: string;
    try {
      url = socketUrl(await options.connect());
    } catch {
      if (current === generation && !disposed) retry();
      return;
    }
    if (current !== generation || disposed) return;

    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    socket = ws;
    let unacked = 0;
    let ackTimer: ReturnType<typeof setTimeout> | undefined;
    const ack = () => {
      clearTimeout(ackTimer);
      ackTimer = undefined;
      if (unacked > 0 && ws.readyState === OPEN) ws.send(encodeAck(unacked));
      unacked = 0;
    };
    const rendered = (bytes: number) => {
      if (current !== generation) return;
      unacked += bytes;
      if (unacked >= ACK_BATCH) ack();
      else ackTimer ??= setTimeout(ack, ACK_IDLE_MS);
    };

    ws.onopen = () => {
      if (current !== generation) return;
      attempt = 0;
      lostAt = 0;
      exited = false;
      setStatus('open');
    };
    ws.onmessage = (event: MessageEvent<ArrayBuffer>) => {
      if (current !== generation) return;
      let message;
      try {
        message = decodeServerMessage(new Uint8Array(event.data));
      } catch {
        ws.close(1002, 'protocol error');
        return;
      }
      switch (message.type) {
        case 'snapshot':
          term.reset();
          term.write(message.data);
          // The shell may have been resized by another window meanwhile: say ours.
          send(encodeResize(term.cols, term.rows));
          return;
        case 'output': {
          const bytes = message.data.length;
          term.write(message.data, () => rendered(bytes));
          return;
        }
        case 'exit':
          exited = true;
          term.write(statusLine(`the shell exited with code ${message.code}`, 'dim'));
          return;
        case 'error':
          term.write(statusLine(message.message, 'red'));
          return;
      }
    };
    ws.onclose = (event: CloseEvent) => {
      clearTimeout(ackTimer);
      if (current !== generation || disposed) return;
      socket = undefined;
      if (exited) {
        setStatus('closed');
      } else if (event.code === CLOSE_REPLACED) {
        term.write(statusLine('this terminal was opened in another window; press Enter to take it back', 'yellow'));
        setStatus('closed');
      } else {
        if (lostAt === 0) {
          lostAt = Date.now();
          term.write(statusLine('connection lost, reconnecting…', 'yellow'));
        }
        retry();
      }
    };
  }

  function retry(): void {
    if (lostAt === 0) lostAt = Date.now();
    if (Date.now() - lostAt > giveUpAfterMs) {
      term.write(statusLine('disconnected; press Enter to reconnect', 'red'));
      setStatus('closed');
      return;
    }
    setStatus('reconnecting');
    const delay = Math.min(10_000, 500 * 2 ** attempt) + Math.random() * 250;
    attempt += 1;
    retryTimer = setTimeout(() => void connect(), delay);
  }

  const onOnline = () => {
    if (status === 'reconnecting' && !socket) void connect();
  };
  window.addEventListener('online', onOnline);

  term.onData((data) => {
    if (status === 'closed') {
      if (data === '\r') {
        attempt = 0;
        lostAt = 0;
        exited = false;
        void connect();
      }
      return;
    }
    sendInput(encoder.encode(data));
  });
  // Mouse reports in legacy encodings: one byte per character, not UTF-8.
  term.onBinary((data) => sendInput(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));
  term.onResize(({ cols, rows }) => send(encodeResize(cols, rows)));

  let fitFrame = 0;
  const observer = new ResizeObserver(() => {
    cancelAnimationFrame(fitFrame);
    fitFrame = requestAnimationFrame(safeFit);
  });
  observer.observe(container);

  void connect();

  return {
    dispose() {
      if (disposed) return;
      disposed = true;
      generation += 1;
      clearTimeout(retryTimer);
      cancelAnimationFrame(fitFrame);
      observer.disconnect();
      window.removeEventListener('online', onOnline);
      socket?.close(1000, 'closed by the page');
      socket = undefined;
      term.dispose();
    },
    focus() {
      term.focus();
    },
  };
}
