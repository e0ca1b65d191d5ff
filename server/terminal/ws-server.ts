import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { describeError } from '../errors.ts';
import { debug } from '../log.ts';
import { MAX_COLS, MAX_ROWS, encodeError } from './protocol.ts';
import type { TerminalSession } from './terminal-session.ts';

export interface TerminalGrant {
  /** The terminal this ticket opens: an existing shell to reattach, or a new one. */
  open: () => Promise<TerminalSession>;
}

export interface TerminalServerOptions {
  /**
   * Upgrade paths this server answers. The session id is the named group `sessionId`, or else
   * the first capture group: `/^\/api\/sessions\/(?<sessionId>[^/]+)\/terminal$/`.
   */
  path: RegExp;
  /** Whether a browser page from `origin` may open a terminal on `host` (the request's Host header). */
  allowedOrigins: (origin: string | undefined, host: string | undefined) => boolean;
  /** Spends the one-time `?ticket=`; undefined when it is unknown, expired or for another session. */
  redeemTicket: (ticket: string, sessionId: string) => Promise<TerminalGrant | undefined>;
  /** Largest frame a client may send; a bigger one closes the socket with 1009. @default 65536 */
  maxPayload?: number;
  /** Ping interval that finds dead connections (a laptop lid closed). @default 30000 */
  pingIntervalMs?: number;
}

export interface TerminalServer {
  /** Stops answering upgrades and closes every terminal socket; the shells live on their grace period. */
  close(): Promise<void>;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
};

/** Answers an upgrade with a plain HTTP error: no WebSocket handshake has happened. */
function refuse(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const body = `${message}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function dimension(value: string | null, max: number): number | undefined {
  const n = Number(value);
  return value !== null && Number.isInteger(n) && n >= 1 && n <= max ? n : undefined;
}

/**
 * Serves terminal WebSockets on an existing HTTP server. Every check happens on the HTTP
 * upgrade request, before any handshake: the path, then the Origin (403), then the one-time
 * ticket (401). Only then is the socket upgraded and the terminal opened and attached.
 * Optional `cols` and `rows` query parameters give the browser's size, so the first snapshot
 * is laid out for it.
 *
 * @example
 * attachTerminalServer(server, {
 *   path: /^\/api\/sessions\/(?<sessionId>[^/]+)\/terminal$/,
 *   allowedOrigins: (origin, host) => origin === `http://${host}`,
 *   redeemTicket: async (ticket, sessionId) => sessions.terminalFor(ticket, sessionId),
 * });
 */
export function attachTerminalServer(server: Server, options: TerminalServerOptions): TerminalServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? 64 * 1024, perMessageDeflate: false });
  const alive = new WeakSet<WebSocket>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = options.path.exec(url.pathname);
    if (!match) {
      // Another upgrade handler (Vite's HMR in development) may own this path.
      if (server.listenerCount('upgrade') === 1) refuse(socket, 404, 'no WebSocket here');
      return;
    }
    socket.on('error', (error) => debug(`terminal upgrade: ${describeError(error)}`));
    void authorize(request, socket, head, url, match);
  };

  const authorize = async (request: IncomingMessage, socket: Duplex, head: Buffer, url: URL, match: RegExpExecArray) => {
    const sessionId = match.groups?.['sessionId'] ?? match[1];
    if (!sessionId) return refuse(socket, 404, 'no session in the terminal path');
    if (!options.allowedOrigins(request.headers.origin, request.headers.host)) {
      return refuse(socket, 403, 'this origin may not open terminals');
    }
    const ticket = url.searchParams.get('ticket');
    if (!ticket) return refuse(socket, 401, 'a terminal ticket is required');
    let grant: TerminalGrant | undefined;
    try {
      grant = await options.redeemTicket(ticket, sessionId);
    } catch (error) {
      debug(`terminal ticket for session ${sessionId}: ${describeError(error)}`);
      return refuse(socket, 500, 'the ticket could not be checked');
    }
    if (!grant) return refuse(socket, 401, 'the terminal ticket is invalid, used or expired');
    if (socket.destroyed) return;
    const cols = dimension(url.searchParams.get('cols'), MAX_COLS);
    const rows = dimension(url.searchParams.get('rows'), MAX_ROWS);
    const opener = grant.open;
    wss.handleUpgrade(request, socket, head, (ws) => {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      // Errors (an oversized frame among them) close the socket with the right code; they
      // must not reach the process as unhandled 'error' events.
      ws.on('error', (error) => debug(`terminal socket of session ${sessionId}: ${describeError(error)}`));
      opener().then(
        (session) => {
          if (ws.readyState !== ws.OPEN) return;
          session.attach(ws, cols && rows ? { cols, rows } : undefined);
        },
        (error: unknown) => {
          debug(`terminal of session ${sessionId} did not open: ${describeError(error)}`);
          if (ws.readyState !== ws.OPEN) return;
          ws.send(encodeError('TERMINAL_UNAVAILABLE', `the terminal could not be started: ${describeError(error)}`));
          ws.close(1011, 'terminal unavailable');
        },
      );
    });
  };

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, options.pingIntervalMs ?? 30_000);
  heartbeat.unref();

  server.on('upgrade', onUpgrade);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        server.off('upgrade', onUpgrade);
        for (const ws of wss.clients) ws.close(1001, 'server shutting down');
        wss.close(() => resolve());
      }),
  };
}
