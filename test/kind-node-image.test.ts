import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAssets } from '../server/assets/install.ts';
import { loadConfig } from '../server/config.ts';
import { requireDocker } from '../server/exec/docker.ts';
import { kubectl } from '../server/exec/kubectl.ts';
import { run } from '../server/exec/run.ts';
import { ensureNodeImage } from '../server/node-image/index.ts';
import { silentProgress } from '../server/progress.ts';
import { skipKindTests } from './support/kind.ts';

const clusterConfig = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking:
  disableDefaultCNI: true
nodes:
- role: control-plane
- role: worker
`;

describe.skipIf(skipKindTests)('kind with the offline node image', () => {
  const name = `kx-node-image-${process.pid}`;
  let dir: string;
  let kind: string;
  let kubectlBinary: string;
  let kubeconfig: string;

  beforeAll(async () => {
    await requireDocker();
    dir = await mkdtemp(join(tmpdir(), 'kubexam-kind-'));
    const config = loadConfig(process.env);
    const result = await ensureNodeImage(config, silentProgress);
    const assets = await ensureAssets({ config, sets: ['kwok', 'kind'], progress: silentProgress });
    kind = assets['kind'] as string;
    kubectlBinary = assets['kubectl'] as string;
    kubeconfig = join(dir, 'kubeconfig');
    await writeFile(join(dir, 'kind.yaml'), clusterConfig);
    await run(kind, ['create', 'cluster', '--name', name, '--image', result.image, '--config', join(dir, 'kind.yaml'), '--kubeconfig', kubeconfig], 'KIND_FAILED', {
      timeoutMs: 300_000,
    });
  }, 1_800_000);

  afterAll(async () => {
    if (kind) await run(kind, ['delete', 'cluster', '--name', name], 'KIND_FAILED', { allowFailure: true, timeoutMs: 120_000 });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('brings every node and system pod to Ready', async () => {
    await kubectl(kubectlBinary, kubeconfig, ['wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=180s'], { timeoutMs: 200_000 });
    await kubectl(kubectlBinary, kubeconfig, ['-n', 'kube-system', 'wait', '--for=condition=Ready', 'pods', '--all', '--timeout=180s'], {
      timeoutMs: 200_000,
    });
    const { stdout } = await kubectl(kubectlBinary, kubeconfig, ['get', 'nodes', '-o', 'jsonpath={.items[*].status.nodeInfo.kubeletVersion}']);
    expect(stdout.split(' ')).toEqual(['v1.34.4', 'v1.34.4']);
  });

  it('routes pod traffic across nodes: a pod on the worker resolves through CoreDNS and reaches the API Service', async () => {
    const probe = 'getent hosts kubernetes.default.svc.cluster.local && timeout 5 bash -c "</dev/tcp/10.96.0.1/443" && echo PROBE_OK';
    await kubectl(kubectlBinary, kubeconfig, [
      'run', 'probe', '--image=registry.k8s.io/kube-proxy:v1.34.4', '--image-pull-policy=Never', '--restart=Never',
      `--overrides=${JSON.stringify({ spec: { nodeName: `${name}-worker` } })}`, '--command', '--', 'bash', '-c', probe,
    ]);
    await kubectl(kubectlBinary, kubeconfig, ['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/probe', '--timeout=120s'], {
      timeoutMs: 150_000,
    });
    const { stdout } = await kubectl(kubectlBinary, kubeconfig, ['logs', 'probe']);
    expect(stdout).toContain('PROBE_OK');
  });
});
