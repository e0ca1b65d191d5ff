import type { KubeClient } from '../../graders/kube.ts';
import type { ClusterInfo, ProviderName } from '../clusters/provider.ts';
import { nodesOf } from './lab-run.ts';

/**
 * A ClusterInfo for a cluster known only by its kubeconfig (CI, or a cluster made elsewhere):
 * the provider is told apart by kwok's annotation on simulated nodes.
 */
export async function describeExternalCluster(kube: KubeClient, kubeconfig: string): Promise<ClusterInfo> {
  const nodes = await kube.list('v1', 'Node');
  const simulated = nodes.length > 0 && nodes.every((n) => n.metadata?.annotations?.['kwok.x-k8s.io/node'] === 'fake');
  const provider: ProviderName = simulated ? 'kwok' : 'kind';
  return { name: 'external', provider, kubeconfig, nodes: await nodesOf(kube), createdAt: new Date().toISOString() };
}
