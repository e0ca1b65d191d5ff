import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAssets } from '../server/assets/install.ts';
import { nodeContainers } from '../server/clusters/kind/config.ts';
import { kindNodeContainers, openKindProvider, type KindProvider } from '../server/clusters/kind/provider.ts';
import type { ClusterInfo } from '../server/clusters/provider.ts';
import { loadConfig } from '../server/config.ts';
import { kubectl } from '../server/exec/kubectl.ts';
import type { ProgressEvent } from '../server/progress.ts';
import { silentProgress } from '../server/progress.ts';
import { skipKindTests } from './support/kind.ts';

describe.skipIf(skipKindTests)('kind provider', () => {
  const first = `kx-kind-a-${process.pid}`;
  const second = `kx-kind-b-${process.pid}`;
  const events: ProgressEvent[] = [];
  let dataDir: string;
  let provider: KindProvider;
  let kubectlBinary: string;
  let info: ClusterInfo;

  const k = (cluster: ClusterInfo, args: string[], timeoutMs = 60_000) => kubectl(kubectlBinary, cluster.kubeconfig, args, { timeoutMs });

  async function nodeStates(cluster: ClusterInfo) {
    const { stdout } = await k(cluster, ['get', 'nodes', '-o', 'json']);
    const items = (JSON.parse(stdout) as { items: { metadata: { name: string }; spec: { taints?: { key: string }[] }; status: { conditions: { type: string; status: string }[] } }[] }).items;
    return items.map((n) => ({
      name: n.metadata.name,
      ready: n.status.conditions.find((c) => c.type === 'Ready')?.status,
      taints: (n.spec.taints ?? []).map((t) => t.key),
    }));
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kubexam-kind-provider-'));
    const config = loadConfig(process.env, { dataDir });
    provider = await openKindProvider(config, silentProgress);
    kubectlBinary = (await ensureAssets({ config, sets: ['kwok'], progress: silentProgress }))['kubectl'] as string;
    info = await provider.create({ name: first, controlPlanes: 1, workers: 3 }, (e) => events.push(e));
  }, 1_800_000);

  afterAll(async () => {
    for (const c of (await provider?.list()) ?? []) await provider.delete(c.name).catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('creates 1 control plane and 3 workers with exam names, all Ready, the control plane tainted', async () => {
    expect(await nodeStates(info)).toEqual([
      { name: 'controlplane', ready: 'True', taints: ['node-role.kubernetes.io/control-plane'] },
      { name: 'node01', ready: 'True', taints: [] },
      { name: 'node02', ready: 'True', taints: [] },
      { name: 'node03', ready: 'True', taints: [] },
    ]);
    expect(info.nodes).toEqual({ controlPlanes: ['controlplane'], workers: ['node01', 'node02', 'node03'] });
    expect(await kindNodeContainers(first)).toEqual(Object.values(nodeContainers(first, info.nodes)).sort());
    expect(events.find((e) => e.scope === 'node-image' && e.state === 'done')?.message).toMatch(/^kubexam\/node:v1\.34\.4-[0-9a-f]{12} (up to date|built in )/);
    expect(events.filter((e) => e.scope === `cluster/${first}`).map((e) => e.message)).toEqual([
      expect.stringContaining('kind create cluster'),
      expect.stringContaining('waiting for every node to be Ready'),
      expect.stringContaining('waiting for the kube-system pods'),
      expect.stringMatching(/^ready in /),
    ]);
  });

  it('runs a pod on a worker, with logs and exec', async () => {
    await k(info, [
      'run', 'hello', '--image=registry.k8s.io/kube-proxy:v1.34.4', '--image-pull-policy=Never', '--restart=Never',
      '--command', '--', 'bash', '-c', 'echo HELLO_FROM_POD; sleep 3600',
    ]);
    await k(info, ['wait', '--for=condition=Ready', 'pod/hello', '--timeout=120s'], 150_000);
    const node = (await k(info, ['get', 'pod', 'hello', '-o', 'jsonpath={.spec.nodeName}'])).stdout;
    expect(info.nodes.workers).toContain(node);
    expect((await k(info, ['logs', 'hello'])).stdout).toContain('HELLO_FROM_POD');
    expect((await k(info, ['exec', 'hello', '--', 'cat', '/proc/1/cmdline'])).stdout).toContain('sleep');
  });

  it('records the cluster with private kubeconfigs, and lists it', async () => {
    expect(await provider.list()).toEqual([info]);
    expect(await provider.get(first)).toEqual(info);
    expect((await stat(info.kubeconfig)).mode & 0o777).toBe(0o600);
    const internal = provider.internalKubeconfigPath(first);
    expect((await stat(internal)).mode & 0o777).toBe(0o600);
    expect(await readFile(internal, 'utf8')).toContain(`server: https://${first}-control-plane:6443`);
  });

  it('runs a second cluster side by side, then deletes both: containers and records gone', async () => {
    const other = await provider.create({ name: second, controlPlanes: 1, workers: 1 }, silentProgress);
    expect(await nodeStates(other)).toEqual([
      { name: 'controlplane', ready: 'True', taints: ['node-role.kubernetes.io/control-plane'] },
      { name: 'node01', ready: 'True', taints: [] },
    ]);
    expect((await provider.list()).map((c) => c.name).sort()).toEqual([first, second].sort());
    expect((await nodeStates(info)).map((n) => n.ready)).toEqual(['True', 'True', 'True', 'True']);

    await provider.delete(first);
    expect(await kindNodeContainers(first)).toEqual([]);
    expect(await provider.get(first)).toBeUndefined();
    expect((await k(other, ['get', 'pods', '-n', 'kube-system', '-o', 'name'])).stdout).toContain('etcd-controlplane');

    await provider.delete(second);
    expect(await kindNodeContainers(second)).toEqual([]);
    expect(await provider.list()).toEqual([]);
  });
});
