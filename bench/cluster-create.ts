import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchEnv } from './bench-env.ts';
import { clusterMemory, type ProcessMemory } from './cluster-memory.ts';
import { summarize, timed, type Summary } from './stats.ts';
import { renderTable } from './table.ts';

export interface ClusterCreateResult {
  runs: number;
  workers: number;
  readyMs: Summary;
  /** Seconds a cluster idled after ready before its memory was read. */
  idleSeconds: number;
  /** RSS per process, KiB, one entry per cluster. */
  memory: ProcessMemory[][];
}

/**
 * Creates `runs` clusters one after another (1 control plane + `workers` workers), timing each
 * `provider.create` to a ready cluster, then reads the RSS of its processes after it idled.
 */
export async function measureClusterCreate(env: BenchEnv, runs: number, workers: number, idleSeconds: number, log: (m: string) => void): Promise<ClusterCreateResult> {
  const times: number[] = [];
  const memory: ProcessMemory[][] = [];
  for (let i = 1; i <= runs; i++) {
    log(`cluster create ${i}/${runs}`);
    const started = performance.now();
    await env.withCluster(`bench-create-${process.pid}-${i}`, workers, async (cluster) => {
      times.push(performance.now() - started);
      await sleep(idleSeconds * 1000);
      memory.push(await clusterMemory(env.config.dataDir, cluster.name));
    });
  }
  return { runs, workers, readyMs: summarize(times), idleSeconds, memory };
}

const mib = (kib: number) => (kib / 1024).toFixed(1);

export function clusterCreateTables(r: ClusterCreateResult): string {
  const t = r.readyMs;
  const time = renderTable({
    title: `1a. kwok cluster create: 1 control plane + ${r.workers} workers, to ready (KwokProvider.create), ${r.runs} runs`,
    headers: ['metric', 'median', 'min', 'max'],
    rows: [['time to ready cluster (s)', (t.median / 1000).toFixed(2), (t.min / 1000).toFixed(2), (t.max / 1000).toFixed(2)]],
    right: [1, 2, 3],
    notes: [
      `runs (s): ${t.runs.map((ms) => (ms / 1000).toFixed(2)).join(', ')}`,
      'ready = etcd, apiserver, controller-manager, scheduler, kwok up; nodes Ready; default ServiceAccount; CoreDNS rolled out',
    ],
  });
  const names = [...new Set(r.memory.flatMap((m) => m.map((p) => p.process)))];
  const perProcess = (name: string) => summarize(r.memory.map((m) => m.find((p) => p.process === name)?.rssKiB ?? 0));
  const totals = summarize(r.memory.map((m) => m.reduce((sum, p) => sum + p.rssKiB, 0)));
  const row = (label: string, s: ReturnType<typeof summarize>) => [label, mib(s.median), mib(s.min), mib(s.max)];
  const mem = renderTable({
    title: `1b. memory of one idle ready cluster: VmRSS from /proc/<pid>/status, read ${r.idleSeconds} s after ready, over the ${r.memory.length} clusters`,
    headers: ['process (pid file)', 'RSS MiB median', 'min', 'max'],
    rows: [...names.map((n) => row(n, perProcess(n))), row('total', totals)],
    right: [1, 2, 3],
    notes: ['pids from <dataDir>/kwok/clusters/<name>/pids/*.pid (kwokctl --runtime binary); RSS counts shared pages in each process'],
  });
  return `${time}\n${mem}`;
}
