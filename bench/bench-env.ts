import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureAssets, type AssetPaths } from '../server/assets/install.ts';
import { KwokProvider } from '../server/clusters/kwok/provider.ts';
import type { ClusterInfo } from '../server/clusters/provider.ts';
import { loadConfig, type Config } from '../server/config.ts';
import { silentProgress } from '../server/progress.ts';

/**
 * The bench's own kubexam setup: the real asset cache, and a data directory under the system
 * temp dir so bench clusters never mix with a developer's or a test run's.
 */
export interface BenchEnv {
  config: Config;
  assets: AssetPaths;
  provider: KwokProvider;
  kubectl: string;
  /** Creates a cluster (1 control plane, `workers` workers) and deletes it after `fn`, whatever happens. */
  withCluster<T>(name: string, workers: number, fn: (cluster: ClusterInfo) => Promise<T>): Promise<T>;
  /** Runs `fn` first at cleanup (also on SIGINT/SIGTERM): for what a section started itself. */
  onCleanup(fn: () => Promise<void>): void;
  /** Runs the `onCleanup` functions, deletes every cluster left in the data dir, then the data dir. */
  cleanup(): Promise<void>;
}

export async function benchEnv(): Promise<BenchEnv> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kubexam-bench-'));
  const config = loadConfig(process.env, { dataDir });
  const assets = await ensureAssets({ config, sets: ['kwok'], progress: silentProgress });
  const provider = new KwokProvider(assets, dataDir);
  let cleaned = false;
  const hooks: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    for (const hook of hooks.reverse()) await hook().catch(() => undefined);
    for (const c of await provider.list()) await provider.delete(c.name).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  };
  // kwokctl detaches the control plane processes: an interrupted bench would leave them running.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: deleting bench clusters...\n`);
      void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
  return {
    config,
    assets,
    provider,
    kubectl: assets['kubectl'] as string,
    async withCluster(name, workers, fn) {
      const cluster = await provider.create({ name, controlPlanes: 1, workers }, silentProgress);
      try {
        return await fn(cluster);
      } finally {
        await provider.delete(cluster.name);
      }
    },
    onCleanup: (fn) => hooks.push(fn),
    cleanup,
  };
}
