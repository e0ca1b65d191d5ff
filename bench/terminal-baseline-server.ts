/**
 * The floor for the terminal comparison: a bare node-pty + ws server, the least a Node web
 * terminal can do. One pty per connection, every pty read sent as one binary frame, every frame
 * received written to the pty. No flow control (a flood queues in the socket buffer as fast as
 * the pty produces), no screen mirror, no recording, no authentication.
 *
 * Run by the bench as a child process (under tsx, like `kubexam serve`, so both pay the same
 * runtime): `node --import tsx bench/terminal-baseline-server.ts FILE [ARGS...]`; prints
 * `listening PORT`.
 */
import { spawn } from 'node-pty';
import { WebSocketServer } from 'ws';

const [file, ...args] = process.argv.slice(2);
if (!file) throw new Error('usage: terminal-baseline-server.ts FILE [ARGS...]');

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('connection', (socket) => {
  // encoding null: the pty's bytes as they are, no UTF-8 decoding.
  const pty = spawn(file, args, { name: 'xterm-256color', cols: 80, rows: 24, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', TERM: 'xterm-256color' }, encoding: null });
  pty.onData((data: string | Buffer) => socket.send(data, { binary: true }));
  pty.onExit(() => socket.close(1000));
  socket.on('message', (data: Buffer) => pty.write(data));
  socket.on('close', () => pty.kill('SIGHUP'));
});
wss.on('listening', () => {
  const address = wss.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : address}\n`);
});
process.once('SIGTERM', () => process.exit(0));
