import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient } from '../graders/kube.ts';
import { runChecks } from '../graders/runner.ts';
import { ensureAssets } from '../server/assets/install.ts';
import { openKindProvider, type KindProvider } from '../server/clusters/kind/provider.ts';
import type { NodeAccess } from '../server/clusters/node-access.ts';
import type { ClusterInfo } from '../server/clusters/provider.ts';
import { loadConfig } from '../server/config.ts';
import { runSteps, type StepContext } from '../server/labs/steps.ts';
import { silentProgress } from '../server/progress.ts';
import { skipKindTests } from './support/kind.ts';

describe.skipIf(skipKindTests)('node access on kind', () => {
  const name = `kx-kind-nodes-${process.pid}`;
  let dataDir: string;
  let provider: KindProvider;
  let kubectlBinary: string;
  let info: ClusterInfo;
  let kube: KubeClient;
  let nodes: NodeAccess;

  /** One check through the runner, graded once (no polling), as a lab's `check:` would be. */
  async function grade(check: string, args: Record<string, unknown>, withNodeAccess = true) {
    const ctx = { kube, params: {}, nodes: withNodeAccess ? nodes : undefined };
    const [result] = await runChecks([{ id: 'c', points: 1, check, with: args, requires: [], timeoutSeconds: 0 }], ctx, { deadline: Date.now() + 60_000 });
    return result;
  }

  function steps(access: NodeAccess | undefined): StepContext {
    return { cluster: info, kube, kubectlBinary, labDir: dataDir, params: {}, progress: silentProgress, scope: 'test', nodes: access };
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kubexam-kind-nodes-'));
    const config = loadConfig(process.env, { dataDir });
    provider = await openKindProvider(config, silentProgress);
    kubectlBinary = (await ensureAssets({ config, sets: ['kwok'], progress: silentProgress }))['kubectl'] as string;
    info = await provider.create({ name, controlPlanes: 1, workers: 1 }, silentProgress);
    kube = new KubeClient(info.kubeconfig);
    nodes = await provider.nodeAccess(name);
  }, 1_800_000);

  afterAll(async () => {
    for (const c of (await provider?.list()) ?? []) await provider.delete(c.name).catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('runs commands on a node by its exam name, exit codes and output propagated', async () => {
    expect(await nodes.exec('node01', 'systemctl is-active kubelet')).toEqual({ exitCode: 0, stdout: 'active', stderr: '' });
    expect(await nodes.exec('controlplane', 'test -f /etc/kubernetes/manifests/kube-apiserver.yaml && echo yes')).toMatchObject({ exitCode: 0, stdout: 'yes' });
    // The worker has no static pods: the command really ran on node01, not on the control plane.
    expect(await nodes.exec('node01', 'ls /etc/kubernetes/manifests | wc -l')).toMatchObject({ exitCode: 0, stdout: '0' });
    expect(await nodes.exec('node01', 'echo out; echo err >&2; exit 3')).toEqual({ exitCode: 3, stdout: 'out', stderr: 'err' });
    await expect(nodes.exec('node09', 'true')).rejects.toMatchObject({ code: 'NODE_UNKNOWN', message: expect.stringContaining('controlplane, node01') });
  });

  it('node.command passes on the expected exit code and output, fails with expected and actual otherwise', async () => {
    expect(await grade('node.command', { node: 'node01', run: 'systemctl is-active kubelet', stdout: '^active$' })).toMatchObject({ status: 'pass', points: 1 });
    expect(await grade('node.command', { node: 'node01', run: 'exit 4', exitCode: 4 })).toMatchObject({ status: 'pass' });
    expect(await grade('node.command', { node: 'node01', run: 'systemctl is-active kubelet', stdout: '^inactive$' })).toMatchObject({
      status: 'fail',
      points: 0,
      path: 'stdout',
      expected: '/^inactive$/',
      actual: 'active',
    });
    expect(await grade('node.command', { node: 'node01', run: 'systemctl is-active no-such-unit' })).toMatchObject({ status: 'fail', path: 'exitCode', expected: 0, actual: expect.any(Number) });
  });

  it('node.file checks existence and mode of real node files', async () => {
    expect(await grade('node.file', { node: 'node01', path: '/etc/kubernetes/kubelet.conf', mode: '600' })).toMatchObject({ status: 'pass' });
    expect(await grade('node.file', { node: 'node01', path: '/etc/kubernetes/kubelet.conf', mode: '0600', contains: 'server: https://' })).toMatchObject({ status: 'pass' });
    expect(await grade('node.file', { node: 'node01', path: '/etc/kubernetes/kubelet.conf', mode: '0644' })).toMatchObject({ status: 'fail', path: 'mode', expected: '0644', actual: '0600' });
    expect(await grade('node.file', { node: 'node01', path: '/etc/kubernetes/no-such.conf' })).toMatchObject({ status: 'fail', path: 'exists', expected: true, actual: false });
    expect(await grade('node.file', { node: 'node01', path: '/etc/kubernetes/no-such.conf', exists: false })).toMatchObject({ status: 'pass' });
  });

  it('a run step with node: runs on that node, and node.file sees what it wrote', async () => {
    const path = '/root/kubexam step marker.txt';
    expect(await grade('node.file', { node: 'node01', path, exists: false })).toMatchObject({ status: 'pass' });
    await runSteps([{ run: `mkdir -p /root\nprintf 'written by setup\\n' > '${path}'\nchmod 640 '${path}'`, node: 'node01' }], steps(nodes), 'setup');
    expect(await grade('node.file', { node: 'node01', path, mode: '0640', contains: '^written by setup$' })).toMatchObject({ status: 'pass' });
    expect(await grade('node.file', { node: 'controlplane', path, exists: false })).toMatchObject({ status: 'pass' });
    await expect(runSteps([{ run: 'true\nfalse\necho not reached', node: 'node01' }], steps(nodes), 'setup')).rejects.toMatchObject({
      code: 'LAB_STEP_FAILED',
      message: expect.stringContaining('exited with 1'),
    });
  });

  it('without node access (as on kwok) node checks are error and node steps are CAPABILITY_MISSING', async () => {
    const result = await grade('node.command', { node: 'node01', run: 'true' }, false);
    expect(result).toMatchObject({ status: 'error', points: 0, message: expect.stringContaining('node-shell') });
    expect(await grade('node.file', { node: 'node01', path: '/etc/hostname' }, false)).toMatchObject({ status: 'error' });
    await expect(runSteps([{ run: 'true', node: 'node01' }], steps(undefined), 'setup')).rejects.toMatchObject({
      cause: expect.objectContaining({ code: 'CAPABILITY_MISSING' }),
    });
  });
});
