import { realpath } from 'node:fs/promises';
import { KubeConfig } from '@kubernetes/client-node';
import type { Config } from '../config.ts';
import { KubexamError } from '../errors.ts';
import type { ProgressSink } from '../progress.ts';
import { openProvider } from './index.ts';
import type { NodeAccess } from './node-access.ts';
import type { ClusterInfo } from './provider.ts';
import { ClusterRecords } from './records.ts';

/** The API server a kubeconfig's current context points at, or undefined when it names none. */
function serverOf(kubeconfig: string): string | undefined {
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    return kc.getCurrentCluster()?.server;
  } catch {
    return undefined;
  }
}

async function samePath(a: string, b: string): Promise<boolean> {
  const [ra, rb] = await Promise.all([realpath(a).catch(() => a), realpath(b).catch(() => b)]);
  return ra === rb;
}

/**
 * The recorded cluster a kubeconfig belongs to: the record's own kubeconfig file, or a copy
 * of it (same API server address: a kind cluster's is `https://127.0.0.1:<its own port>`).
 */
export async function recordedClusterOf(config: Config, kubeconfig: string): Promise<ClusterInfo | undefined> {
  const records = await new ClusterRecords(config.dataDir).all();
  for (const info of records) if (await samePath(info.kubeconfig, kubeconfig)) return info;
  const server = serverOf(kubeconfig);
  return server === undefined ? undefined : records.find((info) => serverOf(info.kubeconfig) === server);
}

/** A recorded cluster by name, or a CLUSTER_NOT_FOUND that says where to look. */
export async function recordedCluster(config: Config, name: string): Promise<ClusterInfo> {
  const info = await new ClusterRecords(config.dataDir).load(name);
  if (!info) throw new KubexamError('CLUSTER_NOT_FOUND', `no cluster named ${name} in ${config.dataDir}; kubexam cluster list shows the clusters there are`);
  return info;
}

/** A shell on a recorded cluster's nodes, when its provider has real ones (kind); undefined on kwok. */
export async function recordedNodeAccess(config: Config, info: ClusterInfo, progress: ProgressSink): Promise<NodeAccess | undefined> {
  const provider = await openProvider(info.provider, config, progress);
  return provider.nodeAccess ? provider.nodeAccess(info.name) : undefined;
}
