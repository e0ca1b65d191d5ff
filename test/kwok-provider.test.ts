import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient } from '../graders/kube.ts';
import { KwokProvider } from '../server/clusters/kwok/provider.ts';
import type { ClusterInfo } from '../server/clusters/provider.ts';
import { requireCapabilities } from '../server/labs/lab-run.ts';
import { labSchema } from '../server/labs/schema.ts';
import { silentProgress } from '../server/progress.ts';
import { clusterName, testEnv, type TestEnv } from './support/kwok.ts';

let env: TestEnv;
let first: ClusterInfo;
let second: ClusterInfo;

beforeAll(async () => {
  env = await testEnv();
  // Side by side, started at the same moment: ports must not collide.
  [first, second] = await Promise.all([
    env.provider.create({ name: clusterName('side-a'), controlPlanes: 1, workers: 2 }, silentProgress),
    env.provider.create({ name: clusterName('side-b'), controlPlanes: 1, workers: 3 }, silentProgress),
  ]);
});

afterAll(async () => {
  await env?.cleanup();
});

async function nodeStates(info: ClusterInfo) {
  const nodes = await new KubeClient(info.kubeconfig).list('v1', 'Node');
  return nodes.map((n) => ({
    name: n.metadata?.name,
    ready: ((n['status'] as { conditions?: { type: string; status: string }[] }).conditions ?? []).find((c) => c.type === 'Ready')?.status,
    taints: ((n['spec'] as { taints?: { key: string }[] }).taints ?? []).map((t) => t.key),
  }));
}

describe('kwok provider', () => {
  it('creates clusters with exam-named nodes, all Ready, the control plane tainted like kubeadm', async () => {
    expect(await nodeStates(first)).toEqual([
      { name: 'controlplane', ready: 'True', taints: ['node-role.kubernetes.io/control-plane'] },
      { name: 'node01', ready: 'True', taints: [] },
      { name: 'node02', ready: 'True', taints: [] },
    ]);
    expect((await nodeStates(second)).map((n) => n.name)).toEqual(['controlplane', 'node01', 'node02', 'node03']);
    expect(second.nodes).toEqual({ controlPlanes: ['controlplane'], workers: ['node01', 'node02', 'node03'] });
  });

  it('gives each cluster its own API server and a private kubeconfig', async () => {
    const server = (info: ClusterInfo) => new KubeClient(info.kubeconfig);
    expect(first.kubeconfig).not.toEqual(second.kubeconfig);
    expect((await stat(first.kubeconfig)).mode & 0o077).toBe(0);
    // A namespace made in one cluster is not in the other.
    const { kubectl } = await import('../server/exec/kubectl.ts');
    await kubectl(env.kubectl, first.kubeconfig, ['create', 'namespace', 'only-in-first']);
    await expect(server(first).get({ apiVersion: 'v1', kind: 'Namespace', name: 'only-in-first' })).resolves.toBeTruthy();
    await expect(server(second).get({ apiVersion: 'v1', kind: 'Namespace', name: 'only-in-first' })).rejects.toThrow(/not found/);
  });

  it('runs CoreDNS in kube-system as a kubeadm cluster does', async () => {
    const coredns = await new KubeClient(first.kubeconfig).get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'coredns', namespace: 'kube-system' });
    expect((coredns['status'] as { readyReplicas?: number }).readyReplicas).toBe(2);
  });

  it('lists what it made and refuses a name that is taken', async () => {
    expect((await env.provider.list()).map((c) => c.name).sort()).toEqual([first.name, second.name].sort());
    await expect(env.provider.create({ name: first.name, controlPlanes: 1, workers: 1 }, silentProgress)).rejects.toMatchObject({ code: 'CLUSTER_EXISTS' });
  });

  it('deletes a cluster: its processes stop and it leaves the list', async () => {
    const doomed = await env.provider.create({ name: clusterName('doomed'), controlPlanes: 1, workers: 1 }, silentProgress);
    const kube = new KubeClient(doomed.kubeconfig, 2000);
    await kube.list('v1', 'Node');
    await env.provider.delete(doomed.name);
    expect((await env.provider.list()).map((c) => c.name)).not.toContain(doomed.name);
    await expect(kube.list('v1', 'Node')).rejects.toThrow(/cannot reach|no answer/);
  });

  it('refuses labs that need capabilities kwok lacks, before anything starts', () => {
    const lab = labSchema.parse({
      apiVersion: 'kubexam.dev/v1',
      kind: 'Lab',
      metadata: { id: 'needs-nodes', title: 't', curriculum: 'cka', domain: 'troubleshooting', points: 1, minutes: 1 },
      cluster: { requires: ['node-shell'] },
      task: 't',
      checks: [{ id: 'c', points: 1, check: 'node.ready', with: { node: 'node01' } }],
      solution: [{ run: 'true' }],
    });
    const provider = new KwokProvider({}, '/nonexistent');
    expect(() => requireCapabilities(lab, provider, 'lab.yaml')).toThrow(/requires node-shell, which the kwok provider lacks/);
  });
});
