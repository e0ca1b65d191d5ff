import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { decodeServerMessage, encodeAck, encodeInput, type ServerMessage } from '../../server/terminal/protocol.ts';
import { TerminalSession, type TerminalSessionOptions } from '../../server/terminal/terminal-session.ts';
import { attachTerminalServer, type TerminalServer } from '../../server/terminal/ws-server.ts';

export const PROMPT = 'test$ ';

/** A whole output line (bash may put a carriage return before it, after leaving paste mode). */
export const line = (text: string) => new RegExp(`\\n\\r?${text.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&')}\\r\\n`);

/** A real HTTP server with the terminal endpoint, one-time tickets and plain bash shells. */
export class Harness {
  /** Extra HTTP routes by exact path (a browser test serves its page and tickets here). */
  readonly routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
  readonly server: Server = createServer((req, res) => {
    const route = this.routes.get(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  readonly sessions = new Map<string, TerminalSession>();
  readonly options = new Map<string, Partial<TerminalSessionOptions>>();
  private readonly tickets = new Map<string, string>();
  private terminals: TerminalServer | undefined;
  dir = '';
  port = 0;

  async start(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'kubexam-terminal-'));
    this.terminals = attachTerminalServer(this.server, {
      path: /^\/api\/sessions\/(?<sessionId>[^/]+)\/terminal$/,
      allowedOrigins: (origin, host) => origin === undefined || origin === `http://${host}`,
      redeemTicket: async (ticket, sessionId) => {
        const owner = this.tickets.get(ticket);
        this.tickets.delete(ticket);
        if (owner !== sessionId) return undefined;
        return { open: async () => this.session(sessionId) };
      },
      maxPayload: 64 * 1024,
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  session(id: string): TerminalSession {
    let session = this.sessions.get(id);
    if (!session) {
      session = new TerminalSession({
        command: {
          file: '/bin/bash',
          args: ['--norc', '--noprofile'],
          env: { PATH: '/usr/bin:/bin', HOME: this.dir, TERM: 'xterm-256color', PS1: PROMPT, LANG: 'C.UTF-8' },
          cwd: this.dir,
        },
        ...this.options.get(id),
      });
      this.sessions.set(id, session);
    }
    return session;
  }

  ticket(sessionId: string): string {
    const ticket = randomBytes(16).toString('hex');
    this.tickets.set(ticket, sessionId);
    return ticket;
  }

  url(sessionId: string, query = ''): string {
    return `ws://127.0.0.1:${this.port}/api/sessions/${sessionId}/terminal${query}`;
  }

  async connect(sessionId: string, options: { ack?: boolean; query?: string } = {}): Promise<Client> {
    const ws = new WebSocket(this.url(sessionId, `?ticket=${this.ticket(sessionId)}${options.query ?? ''}`));
    const client = new Client(ws, options.ack ?? true);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  async killAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.kill()));
    this.sessions.clear();
    this.options.clear();
  }

  async stop(): Promise<void> {
    await this.killAll();
    await this.terminals?.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** A terminal client over a real WebSocket: decodes frames, keeps the text, acks (or not). */
export class Client {
  readonly messages: ServerMessage[] = [];
  text = '';
  outputBytes = 0;
  unacked = 0;
  closed: Promise<{ code: number; reason: string }>;
  private readonly decoder = new TextDecoder();
  private waiters: (() => void)[] = [];

  constructor(
    readonly ws: WebSocket,
    public ack: boolean,
  ) {
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data: Buffer) => {
      const message = decodeServerMessage(data);
      this.messages.push(message);
      if (message.type === 'output' || message.type === 'snapshot') {
        this.text += this.decoder.decode(message.data, { stream: true });
      }
      if (message.type === 'output') {
        this.outputBytes += message.data.length;
        this.unacked += message.data.length;
        if (this.ack) this.ackAll();
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  send(frame: Uint8Array): void {
    this.ws.send(frame);
  }

  type(text: string): void {
    this.send(encodeInput(text));
  }

  ackAll(): void {
    if (this.unacked === 0) return;
    this.send(encodeAck(this.unacked));
    this.unacked = 0;
  }

  /** The text without escape sequences (bash brackets every prompt with paste-mode switches). */
  get plain(): string {
    return this.text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  }

  /** Resolves once `pattern` shows in the plain text after offset `from` of it; fails after `ms`. */
  async waitFor(pattern: RegExp, ms = 5_000, from = 0): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const match = this.plain.slice(from).match(pattern);
      if (match) return match;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${ms} ms waiting for ${pattern}; last output: ${JSON.stringify(this.plain.slice(-300))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close(1000);
    return this.closed;
  }
}

/** The status code of a refused upgrade: the handshake never happens. */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => undefined);
  });
}
