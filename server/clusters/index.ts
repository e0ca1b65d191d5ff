import { ensureAssets } from '../assets/install.ts';
import type { Config } from '../config.ts';
import { KubexamError } from '../errors.ts';
import type { ProgressSink } from '../progress.ts';
import { openKindProvider } from './kind/provider.ts';
import { KwokProvider } from './kwok/provider.ts';
import type { ClusterProvider, ProviderName } from './provider.ts';
import { ClusterRecords } from './records.ts';

export const providerNames: readonly ProviderName[] = ['kwok', 'kind'];

/** The provider by name, with its assets installed first (with progress) when missing. */
export async function openProvider(name: string, config: Config, progress: ProgressSink): Promise<ClusterProvider> {
  switch (name) {
    case 'kwok': {
      const assets = await ensureAssets({ config, sets: ['kwok'], progress });
      return new KwokProvider(assets, config.dataDir);
    }
    case 'kind':
      return openKindProvider(config, progress);
    default:
      throw new KubexamError('PROVIDER_UNKNOWN', `unknown provider "${name}"; choose one of ${providerNames.join(', ')}`);
  }
}

/** The provider that made an existing cluster, found from its record. */
export async function providerOfCluster(clusterName: string, config: Config, progress: ProgressSink): Promise<ClusterProvider> {
  const info = await new ClusterRecords(config.dataDir).load(clusterName);
  if (!info) throw new KubexamError('CLUSTER_NOT_FOUND', `no cluster named ${clusterName}; kubexam cluster list shows the clusters there are`);
  return openProvider(info.provider, config, progress);
}

export function allClusters(config: Config) {
  return new ClusterRecords(config.dataDir).all();
}
