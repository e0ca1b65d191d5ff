import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ensureAssets } from '../server/assets/install.ts';
import { openKindProvider } from '../server/clusters/kind/provider.ts';
import { ClusterRecords } from '../server/clusters/records.ts';
import { loadConfig, type Config } from '../server/config.ts';
import { run } from '../server/exec/run.ts';
import { startServer, type RunningServer } from '../server/index.ts';
import { silentProgress } from '../server/progress.ts';
import { Client, upgradeStatus } from './support/terminal-harness.ts';
import { skipKindTests } from './support/kind.ts';

const bin = fileURLToPath(new URL('../bin/kubexam.js', import.meta.url));
const kindLabs = fileURLToPath(new URL('./fixtures/kind-labs/', import.meta.url));
const kwokLabs = fileURLToPath(new URL('./fixtures/labs/', import.meta.url));
const instructor = 'instructor-token-for-kind-sessions';

/** Browser sessions on kind: node tabs, their authorization, grading with node access, the reaper. */
describe.skipIf(skipKindTests)('sessions on kind', () => {
  let dataDir: string;
  let config: Config;
  let server: RunningServer;
  let kindBinary: string;
  /** A lab that requires node-shell (runs on kind) and one that does not (stays on kwok). */
  let nodes: { id: string; token: string; url: string };
  let plain: { id: string; token: string; url: string };

  const start = () =>
    startServer({ config, host: '127.0.0.1', port: 0, provider: 'kwok', nodeProvider: 'kind', labPaths: [kindLabs, kwokLabs], instructorToken: instructor, progress: silentProgress });

  async function api(path: string, token: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
    const headers = { ...(init.body ? { 'content-type': 'application/json' } : {}), authorization: `Bearer ${token}` };
    const response = await fetch(`${server.url}${path}`, { ...init, headers });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async function waitForState(id: string, token: string, states: string[], timeoutMs: number): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { body } = await api(`/api/sessions/${id}`, token);
      if (states.includes(body.state)) return body;
      if (body.state === 'failed' || Date.now() > deadline) throw new Error(`session ${id} is ${body.state}: ${body.error}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  function ticket(session: { id: string }, token: string, terminal: string) {
    return api(`/api/sessions/${session.id}/terminal-ticket`, token, { method: 'POST', body: JSON.stringify({ terminal }) });
  }

  /** A terminal over the server's real WebSocket endpoint, as the exam page opens it. */
  async function terminal(session: { id: string; token: string }, name: string): Promise<Client> {
    const issued = await ticket(session, session.token, name);
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}${issued.body.url}`, { headers: { origin: server.url } });
    const client = new Client(ws, true);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  function clusterOf(session: { id: string }): string {
    return server.manager.store.get(session.id)?.clusterName as string;
  }

  async function kindClusters(): Promise<string[]> {
    const result = await run(kindBinary, ['get', 'clusters'], 'KIND_FAILED');
    return result.stdout.split('\n').filter((l) => l !== '');
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kubexam-kind-sessions-'));
    config = loadConfig(process.env, { dataDir });
    kindBinary = (await ensureAssets({ config, sets: ['kwok', 'kind'], progress: silentProgress }))['kind'] as string;
    server = await start();
    const create = (labId: string, candidate: string) => api('/api/sessions', instructor, { method: 'POST', body: JSON.stringify({ labId, candidate, seed: 'kind' }) });
    const [a, b] = await Promise.all([create('fixture-node-answer', 'Ada'), create('fixture-scale-web', 'Grace')]);
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    nodes = a.body;
    plain = b.body;
    await Promise.all([waitForState(nodes.id, nodes.token, ['ready'], 900_000), waitForState(plain.id, plain.token, ['ready'], 300_000)]);
    for (const s of [nodes, plain]) expect((await api(`/api/sessions/${s.id}/start`, s.token, { method: 'POST' })).body.state).toBe('running');
  }, 1_800_000);

  afterAll(async () => {
    for (const s of [nodes, plain]) if (s && server) await api(`/api/sessions/${s.id}`, instructor, { method: 'DELETE' }).catch(() => undefined);
    await server?.close();
    const prefix = server?.manager.clusterPrefix;
    if (prefix && kindBinary) for (const name of await kindClusters()) if (name.startsWith(prefix)) await run(kindBinary, ['delete', 'cluster', '--name', name], 'KIND_FAILED').catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('a session whose lab needs node-shell runs on kind with one tab per node; a plain one stays on kwok with the shell only', async () => {
    expect(server.manager.store.get(nodes.id)?.provider).toBe('kind');
    expect(server.manager.store.get(plain.id)?.provider).toBe('kwok');
    expect((await api(`/api/sessions/${nodes.id}`, nodes.token)).body.terminals).toEqual(['shell', 'controlplane', 'node01']);
    expect((await api(`/api/sessions/${plain.id}`, plain.token)).body.terminals).toEqual(['shell']);
    expect(await kindClusters()).toContain(clusterOf(nodes));
  });

  it('a node tab is a root login shell on that node, through the WebSocket terminal server', async () => {
    const node01 = await terminal(nodes, 'node01');
    await node01.waitFor(/root@node01:~# $/, 20_000);
    const container = `${clusterOf(nodes)}-worker`;
    let from = node01.plain.length;
    node01.type('hostname; systemctl is-active kubelet; echo "$HOME $TERM"\r');
    await node01.waitFor(new RegExp(`\\n\\r?${container}\\r\\nactive\\r\\n/root xterm-256color\\r\\n`), 15_000, from);
    from = node01.plain.length;
    node01.type('echo done > /root/answer.txt; ls /etc/kubernetes/manifests | wc -l\r');
    await node01.waitFor(/\n\r?0\r\n/, 15_000, from);
    await node01.close();

    const controlplane = await terminal(nodes, 'controlplane');
    await controlplane.waitFor(/root@controlplane:~# $/, 20_000);
    from = controlplane.plain.length;
    controlplane.type('ls /etc/kubernetes/manifests\r');
    await controlplane.waitFor(/kube-apiserver\.yaml/, 15_000, from);
    await controlplane.close();
  });

  it('in Chromium, the exam page shows the node tabs, and the node01 tab answers as node01', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
      page.setDefaultTimeout(60_000);
      await page.goto(`${server.url}${nodes.url}`);
      const tabs = page.getByRole('tab');
      await page.locator('[role=tab][data-status=open]', { hasText: 'shell' }).waitFor();
      expect(await tabs.allTextContents()).toEqual(['shell', 'controlplane', 'node01']);
      await page.getByRole('tab', { name: 'node01' }).click();
      await page.locator('[role=tab][data-status=open]', { hasText: 'node01' }).waitFor();
      const screen = () =>
        page.evaluate(() => [...document.querySelectorAll('.terms__panel.is-active .xterm-rows > div')].map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n'));
      const until = async (pattern: RegExp) => {
        const deadline = Date.now() + 30_000;
        while (!pattern.test(await screen())) {
          if (Date.now() > deadline) throw new Error(`${pattern} not on the screen: ${await screen()}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      };
      await until(/root@node01:~# *$/m);
      await page.locator('.terms__panel.is-active .xterm-helper-textarea').focus();
      await page.keyboard.type('hostname\n');
      await until(new RegExp(`^${clusterOf(nodes)}-worker *$`, 'm'));
    } finally {
      await browser.close();
    }
  });

  it("a candidate opens terminals only on their own session's nodes", async () => {
    // Another candidate's token cannot get a ticket for this session.
    expect((await ticket(nodes, plain.token, 'node01')).status).toBe(403);
    // No such node in this session; no nodes at all in the kwok one.
    expect(await ticket(nodes, nodes.token, 'node09')).toMatchObject({ status: 404, body: { error: { code: 'TERMINAL_NOT_FOUND' } } });
    expect(await ticket(plain, plain.token, 'node01')).toMatchObject({ status: 404, body: { error: { code: 'TERMINAL_NOT_FOUND' } } });
    // A ticket is for its own session only, and for one use.
    const issued = await ticket(nodes, nodes.token, 'node01');
    const ws = (id: string, t: string) => `${server.url.replace('http', 'ws')}/api/sessions/${id}/terminal?ticket=${encodeURIComponent(t)}`;
    expect(await upgradeStatus(ws(plain.id, issued.body.ticket), { origin: server.url })).toBe(401);
    expect(await upgradeStatus(ws(nodes.id, issued.body.ticket), { origin: server.url })).toBe(401);
    expect(await upgradeStatus(`${server.url.replace('http', 'ws')}/api/sessions/${nodes.id}/terminal`, { origin: server.url })).toBe(401);
    const fresh = await ticket(nodes, nodes.token, 'node01');
    expect(await upgradeStatus(ws(nodes.id, fresh.body.ticket), { origin: 'http://evil.example' })).toBe(403);
  });

  it('kubexam grade reads the nodes of a recorded kind cluster (--cluster or its kubeconfig); elsewhere node checks are error and say how', async () => {
    const grade = (env: Record<string, string>, ...args: string[]) =>
      execa('node', [bin, 'grade', '--lab', 'fixture-node-answer', '--path', kindLabs, '--format', 'json', ...args], { reject: false, env: { KUBEXAM_DATA_DIR: dataDir, ...env }, stdin: 'ignore' });
    const name = clusterOf(nodes);
    const byName = await grade({}, '--cluster', name);
    expect(byName.exitCode, byName.stderr).toBe(0);
    expect(JSON.parse(byName.stdout).tasks[0].checks.map((c: { status: string }) => c.status)).toEqual(['pass', 'pass']);
    // A copy of the recorded kubeconfig is recognised by its API server address.
    const copy = join(dataDir, 'copied-kubeconfig');
    await copyFile(new ClusterRecords(dataDir).kubeconfigPath(name), copy);
    const byKubeconfig = await grade({}, '--kubeconfig', copy);
    expect(byKubeconfig.exitCode, byKubeconfig.stderr).toBe(0);
    // Unknown to this data dir: graded without node access.
    const elsewhere = await grade({ KUBEXAM_DATA_DIR: join(dataDir, 'elsewhere') }, '--kubeconfig', copy);
    expect(elsewhere.exitCode).toBe(2);
    const checks = JSON.parse(elsewhere.stdout).tasks[0].checks as { status: string; message: string }[];
    expect(checks.map((c) => c.status)).toEqual(['error', 'error']);
    expect(checks[0]?.message).toContain('kubexam grade --cluster NAME');
  });

  it('grading at submit reads the nodes, then deletes the kind cluster', async () => {
    const name = clusterOf(nodes);
    const submitted = await api(`/api/sessions/${nodes.id}/submit`, nodes.token, { method: 'POST' });
    expect(submitted.body.state).toBe('graded');
    const result = await api(`/api/sessions/${nodes.id}/result`, instructor);
    expect(result.body.tasks[0].checks.map((c: { status: string }) => c.status)).toEqual(['pass', 'pass']);
    expect(result.body.points).toBe(2);
    expect(await kindClusters()).not.toContain(name);
  });

  it('a restarted server reaps its orphaned s-* kind clusters even without their records, and leaves other clusters alone', async () => {
    const prefix = server.manager.clusterPrefix;
    const orphan = `${prefix}orphan${process.pid}`;
    const provider = await openKindProvider(config, silentProgress);
    await provider.create({ name: orphan, controlPlanes: 1, workers: 0 }, silentProgress);
    await new ClusterRecords(dataDir).remove(orphan);
    expect(await provider.get(orphan)).toBeUndefined();
    expect(await kindClusters()).toContain(orphan);
    const plainCluster = clusterOf(plain);

    await server.close();
    server = await start();

    expect(await kindClusters()).not.toContain(orphan);
    // The live kwok session keeps its cluster and its state.
    expect((await api(`/api/sessions/${plain.id}`, plain.token)).body.state).toBe('running');
    expect(await server.manager.cluster(server.manager.get(plain.id))).toMatchObject({ name: plainCluster });
  });
});
