import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AssetPaths } from '../server/assets/install.ts';
import { kindClusterConfig } from '../server/clusters/kind/config.ts';
import { openKindProvider, type KindProvider } from '../server/clusters/kind/provider.ts';
import { nodeNames } from '../server/clusters/provider.ts';
import type { Config } from '../server/config.ts';
import { kind } from '../server/exec/kind.ts';
import { kubectl } from '../server/exec/kubectl.ts';
import { ensureNodeImage } from '../server/node-image/index.ts';
import { silentProgress } from '../server/progress.ts';
import { kindNodeMemory, type NodeMemory } from './kind-memory.ts';
import { summarize, type Summary } from './stats.ts';
import { renderTable } from './table.ts';

export interface KindCreateResult {
  runs: number;
  workers: number;
  image: string;
  /** `kind create cluster` alone, with the same config kubexam generates. */
  rawCreateMs: Summary;
  /** `kind create cluster`, then `kubectl wait --for=condition=Ready nodes --all`. */
  rawReadyMs: Summary;
  /** `KindProvider.create`: nodes Ready, kube-system pods Ready, default ServiceAccount. */
  kubexamMs: Summary;
  /** `docker stats` per node container of each kubexam cluster, after it idled. */
  memory: NodeMemory[][];
  idleSeconds: number;
}

/**
 * Raw kind against kubexam's kind provider with the same node image, config and node count,
 * alternating run by run so that machine load hits both alike. The difference is kubexam's
 * overhead: its readiness waits (every kube-system pod, the default ServiceAccount) and records.
 */
export async function measureKindCreate(
  config: Config,
  assets: AssetPaths,
  runs: number,
  workers: number,
  idleSeconds: number,
  log: (m: string) => void,
): Promise<KindCreateResult> {
  const provider: KindProvider = await openKindProvider(config, silentProgress);
  const { image } = await ensureNodeImage(config, silentProgress);
  const kindBin = assets['kind'] as string;
  const kubectlBin = assets['kubectl'] as string;
  const work = await mkdtemp(join(tmpdir(), 'kubexam-bench-kind-'));
  const rawCreate: number[] = [];
  const rawReady: number[] = [];
  const ours: number[] = [];
  const memory: NodeMemory[][] = [];
  try {
    const configFile = join(work, 'kind.yaml');
    await writeFile(configFile, kindClusterConfig(nodeNames(1, workers)));
    for (let i = 1; i <= runs; i++) {
      const raw = `bench-raw-${process.pid}-${i}`;
      const kubeconfig = join(work, `${raw}.kubeconfig`);
      log(`raw kind create ${i}/${runs} (1 control plane + ${workers} workers)`);
      try {
        const started = performance.now();
        await kind(kindBin, ['create', 'cluster', '--name', raw, '--image', image, '--config', configFile, '--kubeconfig', kubeconfig], { timeoutMs: 600_000 });
        rawCreate.push(performance.now() - started);
        await kubectl(kubectlBin, kubeconfig, ['wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=300s'], { timeoutMs: 320_000 });
        rawReady.push(performance.now() - started);
      } finally {
        await kind(kindBin, ['delete', 'cluster', '--name', raw, '--kubeconfig', kubeconfig], { timeoutMs: 180_000 });
      }

      const name = `bench-kx-${process.pid}-${i}`;
      log(`kubexam cluster create --provider kind ${i}/${runs}`);
      try {
        const started = performance.now();
        const cluster = await provider.create({ name, controlPlanes: 1, workers }, silentProgress);
        ours.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, idleSeconds * 1000));
        memory.push(await kindNodeMemory(name, cluster.nodes));
      } finally {
        await provider.delete(name).catch(() => undefined);
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { runs, workers, image, rawCreateMs: summarize(rawCreate), rawReadyMs: summarize(rawReady), kubexamMs: summarize(ours), memory, idleSeconds };
}

const s = (ms: number) => (ms / 1000).toFixed(1);

export function kindCreateTables(r: KindCreateResult): string {
  const row = (label: string, x: Summary) => [label, s(x.median), s(x.min), s(x.max), x.runs.map(s).join(', ')];
  const ratio = r.kubexamMs.median / r.rawReadyMs.median;
  const time = renderTable({
    title: `5a. kind cluster create, 1 control plane + ${r.workers} workers, ${r.image}: raw kind vs kubexam, ${r.runs} runs each, alternating`,
    headers: ['what', 'median s', 'min', 'max', 'runs (s)'],
    rows: [
      row('raw: kind create cluster', r.rawCreateMs),
      row('raw: kind create + kubectl wait nodes Ready', r.rawReadyMs),
      row('kubexam cluster create --provider kind', r.kubexamMs),
    ],
    right: [1, 2, 3],
    notes: [
      `kubexam / raw-to-nodes-Ready, medians: ${ratio.toFixed(2)}x (+${s(r.kubexamMs.median - r.rawReadyMs.median)} s)`,
      'kubexam also waits for every kube-system pod Ready (kube-proxy per node, CoreDNS), the NetworkPolicy engine and the local-path provisioner, and the default ServiceAccount, so a lab can start at once',
    ],
  });
  const nodes = [...new Set(r.memory.flatMap((m) => m.map((n) => n.node)))];
  const per = (node: string) => summarize(r.memory.map((m) => m.find((n) => n.node === node)?.mib ?? 0));
  const total = summarize(r.memory.map((m) => m.reduce((sum, n) => sum + n.mib, 0)));
  const mem = renderTable({
    title: `5b. memory per kind node (docker stats MEM USAGE), ${r.idleSeconds} s after ready, over ${r.memory.length} clusters`,
    headers: ['node', 'MiB median', 'min', 'max'],
    rows: [...nodes.map((n) => [n, per(n).median.toFixed(0), per(n).min.toFixed(0), per(n).max.toFixed(0)]), ['total', total.median.toFixed(0), total.min.toFixed(0), total.max.toFixed(0)]],
    right: [1, 2, 3],
    notes: ['docker stats counts the container cgroup: kubelet, containerd, every pod on the node, and page cache charged to it'],
  });
  return `${time}\n${mem}`;
}
