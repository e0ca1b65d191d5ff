import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/kubexam.js', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const token = 'instructor-token-kill-test';
let dataDir: string;
let server: ResultPromise | undefined;
let url = '';

/** `kubexam serve` as its own process, as an operator runs it; resolves with its URL. */
async function serve(): Promise<void> {
  const child = execa('node', [bin, 'serve', '--port', '0', '--path', fixtures], {
    env: { KUBEXAM_DATA_DIR: dataDir, KUBEXAM_INSTRUCTOR_TOKEN: token },
    stdin: 'ignore',
    reject: false,
  });
  server = child;
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /running at (http:\/\/\S+)/.exec(out);
      if (found?.[1]) resolve(found[1]);
    });
    void child.then((r) => reject(new Error(`server exited early: ${String(r.stderr).slice(-2000)}`)));
  });
}

async function api(path: string, bearer: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${bearer}`, ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  return response.status === 204 ? undefined : response.json();
}

afterAll(async () => {
  server?.kill('SIGKILL');
  await execa('node', [bin, 'cluster', 'delete', '--all'], { env: { KUBEXAM_DATA_DIR: dataDir }, reject: false });
  await rm(dataDir, { recursive: true, force: true });
});

describe('a server killed mid-exam', () => {
  it('comes back with the session, its remaining time, notes and cluster', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kubexam-kill-'));
    await serve();
    const created = await api('/api/sessions', token, { method: 'POST', body: JSON.stringify({ labId: 'fixture-scale-web', candidate: 'Kim', durationMinutes: 30 }) });
    const deadline = Date.now() + 120_000;
    while ((await api(`/api/sessions/${created.id}`, created.token)).state !== 'ready') {
      if (Date.now() > deadline) throw new Error('session never became ready');
      await new Promise((r) => setTimeout(r, 300));
    }
    const started = await api(`/api/sessions/${created.id}/start`, created.token, { method: 'POST' });
    await api(`/api/sessions/${created.id}/notes`, created.token, { method: 'PUT', body: JSON.stringify({ text: 'before the crash' }) });

    server?.kill('SIGKILL');
    await server;
    await serve();

    const after = await api(`/api/sessions/${created.id}`, created.token);
    expect(after).toMatchObject({ state: 'running', deadlineAt: started.deadlineAt, notes: 'before the crash' });
    expect(Date.parse(after.deadlineAt) - Date.parse(after.serverNow)).toBeGreaterThan(25 * 60_000);
    // The cluster survived: the candidate can still get a terminal, and grading reads the cluster.
    const ticket = await api(`/api/sessions/${created.id}/terminal-ticket`, created.token, { method: 'POST', body: JSON.stringify({ terminal: 'shell' }) });
    expect(ticket.url).toMatch(/\/terminal\?ticket=/);
    const graded = await api(`/api/sessions/${created.id}/submit`, created.token, { method: 'POST' });
    expect(graded).toMatchObject({ state: 'graded', scorePercent: 0 });
  });
});
