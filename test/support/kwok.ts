import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureAssets, type AssetPaths } from '../../server/assets/install.ts';
import { KwokProvider } from '../../server/clusters/kwok/provider.ts';
import type { ClusterInfo } from '../../server/clusters/provider.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { silentProgress } from '../../server/progress.ts';

/**
 * A kubexam setup for tests: the real asset cache (so binaries are built once per machine)
 * and a data directory of its own, so test clusters never mix with a developer's.
 */
export interface TestEnv {
  config: Config;
  assets: AssetPaths;
  provider: KwokProvider;
  kubectl: string;
  cleanup(): Promise<void>;
}

export async function testEnv(): Promise<TestEnv> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kubexam-test-'));
  const config = loadConfig(process.env, { dataDir });
  const assets = await ensureAssets({ config, sets: ['kwok'], progress: silentProgress });
  const provider = new KwokProvider(assets, dataDir);
  return {
    config,
    assets,
    provider,
    kubectl: assets['kubectl'] as string,
    async cleanup() {
      for (const c of await provider.list()) await provider.delete(c.name).catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/** A unique cluster name per test run. */
export function clusterName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

export async function createCluster(env: TestEnv, prefix: string, workers = 2): Promise<ClusterInfo> {
  return env.provider.create({ name: clusterName(prefix), controlPlanes: 1, workers }, silentProgress);
}
