import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFile, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DEFAULT_HIGH_WATERMARK } from '../server/terminal/flow-control.ts';
import { encodeAck, encodeInput, encodeResize } from '../server/terminal/protocol.ts';
import { CLOSE_REPLACED, type TerminalSession } from '../server/terminal/terminal-session.ts';
import { Harness, line, upgradeStatus } from './support/terminal-harness.ts';

const harness = new Harness();
beforeAll(() => harness.start());
afterAll(() => harness.stop());
afterEach(() => harness.killAll());

let counter = 0;
const newSession = () => `s${++counter}`;

describe('terminal upgrade authentication', () => {
  it('refuses an upgrade without a ticket with 401, before any handshake', { timeout: 10_000 }, async () => {
    expect(await upgradeStatus(harness.url('s-auth'))).toBe(401);
    expect(harness.sessions.has('s-auth')).toBe(false);
  });

  it('refuses a wrong ticket, another session\'s ticket and a spent ticket with 401', { timeout: 10_000 }, async () => {
    expect(await upgradeStatus(harness.url('s-auth', '?ticket=not-a-ticket'))).toBe(401);
    expect(await upgradeStatus(harness.url('s-auth', `?ticket=${harness.ticket('s-other')}`))).toBe(401);
    const ticket = harness.ticket('s-auth');
    const client = await new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(harness.url('s-auth', `?ticket=${ticket}`));
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
    client.close();
    expect(await upgradeStatus(harness.url('s-auth', `?ticket=${ticket}`))).toBe(401);
  });

  it('refuses a foreign Origin with 403, even with a valid ticket', { timeout: 10_000 }, async () => {
    const status = await upgradeStatus(harness.url('s-auth', `?ticket=${harness.ticket('s-auth')}`), { Origin: 'http://evil.example' });
    expect(status).toBe(403);
  });

  it('answers 404 on other upgrade paths', { timeout: 10_000 }, async () => {
    expect(await upgradeStatus(`ws://127.0.0.1:${harness.port}/elsewhere`)).toBe(404);
  });
});

describe('terminal session over a WebSocket', () => {
  it('closes the connection with 1009 on an oversized frame', { timeout: 10_000 }, async () => {
    const client = await harness.connect(newSession());
    client.send(encodeInput('x'.repeat(70 * 1024)));
    expect((await client.closed).code).toBe(1009);
  });

  it('closes the connection with 1003 on a text frame', { timeout: 10_000 }, async () => {
    const client = await harness.connect(newSession());
    client.ws.send('echo hi\r');
    expect((await client.closed).code).toBe(1003);
  });

  it('echoes a command: snapshot first, then the output', { timeout: 10_000 }, async () => {
    const client = await harness.connect(newSession());
    await client.waitFor(/test\$ $/);
    expect(client.messages[0]?.type).toBe('snapshot');
    client.type('echo hi\r');
    await client.waitFor(line('hi'));
  });

  it('delivers a resize to the pty, and the size in the URL to the first snapshot', { timeout: 10_000 }, async () => {
    const id = newSession();
    const client = await harness.connect(id, { query: '&cols=90&rows=20' });
    await client.waitFor(/test\$ $/);
    expect(harness.sessions.get(id)?.size).toEqual({ cols: 90, rows: 20 });
    client.send(encodeResize(100, 30));
    client.type('stty size\r');
    await client.waitFor(line('30 100'));
  });

  it('reports the exit status', { timeout: 10_000 }, async () => {
    const client = await harness.connect(newSession());
    await client.waitFor(/test\$ $/);
    client.type('exit 3\r');
    expect((await client.closed).code).toBe(1000);
    expect(client.messages.at(-1)).toEqual({ type: 'exit', code: 3 });
  });

  it('resumes the same shell and its screen after a reconnect with a new ticket', { timeout: 15_000 }, async () => {
    const id = newSession();
    const first = await harness.connect(id);
    await first.waitFor(/test\$ $/);
    first.type('echo marker-$((6*7)); echo pid=$$\r');
    const [, pid] = await first.waitFor(/pid=(\d+)\r\n/);
    await first.close();
    const deadline = Date.now() + 2_000;
    while (harness.sessions.get(id)?.attached && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(harness.sessions.get(id)?.attached).toBe(false);

    const second = await harness.connect(id);
    await second.waitFor(/pid=\d+/);
    const snapshot = second.messages[0];
    expect(snapshot?.type).toBe('snapshot');
    if (snapshot?.type === 'snapshot') expect(new TextDecoder().decode(snapshot.data)).toContain('marker-42');
    const mark = second.plain.length;
    second.type('echo pid=$$\r');
    const [, again] = await second.waitFor(/pid=(\d+)\r\n/, 5_000, mark);
    expect(again).toBe(pid);
    expect(harness.sessions.get(id)?.pid).toBeGreaterThan(0);
  });

  it('replaces an open connection with a newer one, closing the old with 4000', { timeout: 10_000 }, async () => {
    const id = newSession();
    const first = await harness.connect(id);
    await first.waitFor(/test\$ $/);
    const second = await harness.connect(id);
    expect((await first.closed).code).toBe(CLOSE_REPLACED);
    await second.waitFor(/test\$ $/);
    second.type('echo still-here\r');
    await second.waitFor(line('still-here'));
  });

  it('ends the shell once no connection came back within the grace period', { timeout: 10_000 }, async () => {
    const id = newSession();
    harness.options.set(id, { graceMs: 300 });
    const client = await harness.connect(id);
    await client.waitFor(/test\$ $/);
    const session = harness.sessions.get(id) as TerminalSession;
    await client.close();
    const exit = await session.exited;
    expect(exit.code).toBeGreaterThan(128);
  });

  it('pauses a flood for a client that does not ack, and Ctrl-C still answers at once', { timeout: 30_000 }, async () => {
    const id = newSession();
    const client = await harness.connect(id, { ack: false });
    await client.waitFor(/test\$ $/);
    client.ackAll();
    const rssBefore = process.memoryUsage().rss;
    const mark = client.plain.length;
    client.type('yes kubexam-flood-line\r');
    await client.waitFor(/kubexam-flood-line\r\n/, 5_000, mark);
    await new Promise((r) => setTimeout(r, 1_000));
    const atOneSecond = client.outputBytes;
    await new Promise((r) => setTimeout(r, 1_500));
    const rssGrowth = process.memoryUsage().rss - rssBefore;

    // Paused: nothing more arrived, and what arrived is bounded by the watermark plus one read.
    expect(client.outputBytes).toBe(atOneSecond);
    expect(client.outputBytes).toBeLessThan(DEFAULT_HIGH_WATERMARK + 64 * 1024);
    expect(rssGrowth).toBeLessThan(64 * 1024 * 1024);

    const interrupted = Date.now();
    const before = client.plain.length;
    client.type('\x03');
    client.ack = true;
    client.ackAll();
    await client.waitFor(/\^C\r\ntest\$ $/, 5_000, before);
    expect(Date.now() - interrupted).toBeLessThan(3_000);
    client.type('echo after-flood\r');
    await client.waitFor(line('after-flood'), 5_000, before);
  });

  it('holds output for a client that acks what it never reads', { timeout: 20_000 }, async () => {
    const id = newSession();
    const socket = connect(harness.port, '127.0.0.1');
    socket.write(
      `GET /api/sessions/${id}/terminal?ticket=${harness.ticket(id)} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const [response] = (await once(socket, 'data')) as [Buffer];
    expect(response.toString('latin1')).toMatch(/^HTTP\/1\.1 101/);
    socket.pause();
    // Client frames by hand (masked, binary), since this client never reads.
    const frame = (payload: Uint8Array) => {
      const mask = randomBytes(4);
      const header = payload.length < 126 ? [0x82, 0x80 | payload.length] : [0x82, 0x80 | 126, payload.length >> 8, payload.length & 0xff];
      return Buffer.concat([Buffer.from(header), mask, Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] as number)))]);
    };
    const before = process.memoryUsage().arrayBuffers;
    socket.write(frame(encodeInput('head -c 500000000 /dev/zero | tr "\\0" y\r')));
    const lying = setInterval(() => socket.write(frame(encodeAck(0xffffffff))), 10);
    await new Promise((r) => setTimeout(r, 4_000));
    clearInterval(lying);
    const growth = process.memoryUsage().arrayBuffers - before;
    socket.destroy();
    expect(growth).toBeLessThan(24 * 1024 * 1024);
  });

  it('records output and input to an asciicast file', { timeout: 10_000 }, async () => {
    const id = newSession();
    const path = join(harness.dir, 'recording.cast');
    harness.options.set(id, { recording: { path, title: 'test' } });
    const client = await harness.connect(id);
    await client.waitFor(/test\$ $/);
    client.type('echo recorded-$((1+1))\r');
    await client.waitFor(line('recorded-2'));
    const exit = await (harness.sessions.get(id) as TerminalSession).kill();
    expect(exit.recordingBytes).toBe((await stat(path)).size);
    const [header, ...events] = (await readFile(path, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(header).toMatchObject({ version: 2, width: 80, height: 24, title: 'test' });
    const typed = events.filter((e) => (e as string[])[1] === 'i').map((e) => (e as string[])[2]).join('');
    const shown = events.filter((e) => (e as string[])[1] === 'o').map((e) => (e as string[])[2]).join('');
    expect(typed).toBe('echo recorded-$((1+1))\r');
    expect(shown).toMatch(/\rrecorded-2\r\n/);
  });
});
