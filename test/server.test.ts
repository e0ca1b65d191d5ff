import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config.ts';
import { startServer, type RunningServer } from '../server/index.ts';
import { silentProgress } from '../server/progress.ts';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const instructor = 'instructor-token-for-tests';
let dataDir: string;
let server: RunningServer;

async function start(): Promise<RunningServer> {
  const config = loadConfig(process.env, { dataDir });
  return startServer({ config, host: '127.0.0.1', port: 0, provider: 'kwok', labPaths: [fixtures], instructorToken: instructor, progress: silentProgress });
}

async function api(path: string, token: string | undefined, init: RequestInit = {}): Promise<{ status: number; body: any; text: string }> {
  const headers: Record<string, string> = { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const response = await fetch(`${server.url}${path}`, { ...init, headers });
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
}

async function waitForState(id: string, token: string, states: string[], timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api(`/api/sessions/${id}`, token);
    if (states.includes(body.state)) return body;
    if (Date.now() > deadline) throw new Error(`session ${id} stayed ${body.state}: ${body.error}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

let first: { id: string; token: string };
let second: { id: string; token: string };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kubexam-server-'));
  server = await start();
  const create = (candidate: string) => api('/api/sessions', instructor, { method: 'POST', body: JSON.stringify({ labId: 'fixture-scale-web', candidate, seed: 'srv' }) });
  const [a, b] = await Promise.all([create('Ada'), create('Grace')]);
  expect(a.status).toBe(201);
  first = a.body;
  second = b.body;
  await Promise.all([waitForState(first.id, first.token, ['ready']), waitForState(second.id, second.token, ['ready'])]);
});

afterAll(async () => {
  for (const s of [first, second]) if (s) await api(`/api/sessions/${s.id}`, instructor, { method: 'DELETE' });
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('server API', () => {
  it('describes itself in OpenAPI', async () => {
    const { status, body } = await api('/api/openapi.json', undefined);
    expect(status).toBe(200);
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/sessions', '/api/sessions/{id}/submit', '/api/sessions/{id}/terminal-ticket']));
  });

  it('needs the instructor token for admin routes', async () => {
    expect((await api('/api/labs', undefined)).status).toBe(401);
    expect((await api('/api/labs', first.token)).status).toBe(403);
    const labs = await api('/api/labs', instructor);
    expect(labs.status).toBe(200);
    expect(labs.body.map((l: { id: string }) => l.id)).toContain('fixture-scale-web');
  });

  it('gives a candidate their own session and nothing of another', async () => {
    const own = await api(`/api/sessions/${first.id}`, first.token);
    expect(own.status).toBe(200);
    expect(own.body.tasks[0].task).toMatch(/namespace `shop-\w{4}`/);
    for (const path of [`/api/sessions/${second.id}`, `/api/sessions/${second.id}/result`, `/api/sessions/${second.id}/events`, `/api/sessions/${second.id}/recordings`]) {
      const other = await api(path, first.token);
      expect(other.status, path).toBe(403);
      expect(other.text).not.toContain('Grace');
    }
    const ticket = await api(`/api/sessions/${second.id}/terminal-ticket`, first.token, { method: 'POST', body: JSON.stringify({ terminal: 'shell' }) });
    expect(ticket.status).toBe(403);
  });

  it('never sends a kubeconfig, its path or a token hash', async () => {
    for (const [path, token] of [[`/api/sessions/${first.id}`, first.token], ['/api/sessions', instructor]] as const) {
      const { text } = await api(path, token);
      expect(text).not.toMatch(/client-key-data|certificate-authority|kubeconfig|token_?hash/i);
      expect(text).not.toContain(dataDir);
    }
  });

  it('answers bad requests with 4xx and a code', async () => {
    const bad = await api('/api/sessions', instructor, { method: 'POST', body: JSON.stringify({ labId: 'fixture-scale-web' }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('REQUEST_INVALID');
    expect(bad.body.error.message).toMatch(/candidate/);
    const unknown = await api('/api/sessions', instructor, { method: 'POST', body: JSON.stringify({ labId: 'no-such-lab', candidate: 'x' }) });
    expect(unknown.status).toBe(404);
    expect((await api('/api/sessions/nope', instructor)).status).toBe(404);
    const huge = await api(`/api/sessions/${first.id}/notes`, first.token, { method: 'PUT', body: JSON.stringify({ text: 'x'.repeat(300_000) }) });
    expect(huge.status).toBe(413);
    const early = await api(`/api/sessions/${first.id}/result`, first.token);
    expect(early.status).toBe(409);
  });

  it('keeps the session, its clock, notes and cluster across a server restart', async () => {
    const started = await api(`/api/sessions/${first.id}/start`, first.token, { method: 'POST' });
    expect(started.body.state).toBe('running');
    expect((await api(`/api/sessions/${first.id}/notes`, first.token, { method: 'PUT', body: JSON.stringify({ text: 'check the image' }) })).status).toBe(204);
    expect((await api(`/api/sessions/${first.id}/flags/fixture-scale-web`, first.token, { method: 'PUT', body: JSON.stringify({ flagged: true }) })).status).toBe(204);

    await server.close();
    server = await start();

    const after = await api(`/api/sessions/${first.id}`, first.token);
    expect(after.body).toMatchObject({ state: 'running', deadlineAt: started.body.deadlineAt, notes: 'check the image' });
    expect(after.body.tasks[0].flagged).toBe(true);
    const ticket = await api(`/api/sessions/${first.id}/terminal-ticket`, first.token, { method: 'POST', body: JSON.stringify({ terminal: 'shell' }) });
    expect(ticket.status).toBe(200);
  });

  it('grades at submit; the candidate sees messages only in exam mode', async () => {
    const submitted = await api(`/api/sessions/${first.id}/submit`, first.token, { method: 'POST' });
    expect(submitted.status).toBe(200);
    expect(submitted.body.state).toBe('graded');
    const candidate = await api(`/api/sessions/${first.id}/result`, first.token);
    expect(candidate.body.tasks[0].checks[0]).not.toHaveProperty('expected');
    const teacher = await api(`/api/sessions/${first.id}/result`, instructor);
    expect(teacher.body.tasks[0].checks[0]).toHaveProperty('expected');
    expect(teacher.body.maxPoints).toBe(6);
  });

  it('grades a session whose deadline passed while the server was down', async () => {
    expect((await api(`/api/sessions/${second.id}/start`, second.token, { method: 'POST' })).status).toBe(200);
    await server.close();
    const db = new Database(join(dataDir, 'kubexam.db'));
    db.prepare('update sessions set deadline_at = ? where id = ?').run(new Date(Date.now() - 1000).toISOString(), second.id);
    db.close();
    server = await start();
    const graded = await waitForState(second.id, second.token, ['graded']);
    expect(graded.scorePercent).toBe(0);
  });

  it('limits how fast sessions are created', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await api('/api/sessions', instructor, { method: 'POST', body: '{}' })).status);
    expect(statuses).toContain(429);
  });
});
