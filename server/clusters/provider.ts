import type { Capability } from '../labs/schema.ts';
import type { NodeNames } from '../labs/params.ts';
import type { ProgressSink } from '../progress.ts';
import type { NodeAccess } from './node-access.ts';

export type ProviderName = 'kwok' | 'kind';

export interface ClusterSpec {
  /** Unique among this host's clusters; kebab-case. */
  name: string;
  controlPlanes: number;
  workers: number;
}

export interface ClusterInfo {
  name: string;
  provider: ProviderName;
  /** Kubeconfig for the server and CLI (reachable from the host). */
  kubeconfig: string;
  nodes: NodeNames;
  createdAt: string;
}

/**
 * A way to get real Kubernetes clusters. kwok: an embedded control plane with simulated nodes;
 * kind: real nodes in Docker. Labs are matched to providers by `capabilities`.
 */
export interface ClusterProvider {
  readonly name: ProviderName;
  readonly capabilities: ReadonlySet<Capability>;
  /** Creates the cluster and returns once the API answers and every node is Ready. */
  create(spec: ClusterSpec, progress: ProgressSink): Promise<ClusterInfo>;
  delete(name: string): Promise<void>;
  list(): Promise<ClusterInfo[]>;
  get(name: string): Promise<ClusterInfo | undefined>;
  /**
   * Clusters this provider can find without kubexam's records (kind: by its container label),
   * so that a restarted server can reap those whose records were lost.
   */
  orphans?(): Promise<string[]>;
  /** A shell on the cluster's nodes; only providers with real nodes (the `node-shell` capability) have one. */
  nodeAccess?(clusterName: string): Promise<NodeAccess>;
}

/** Exam-style node names: `controlplane`, `node01`, `node02`, ... */
export function nodeNames(controlPlanes: number, workers: number): NodeNames {
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    controlPlanes: Array.from({ length: controlPlanes }, (_, i) => (i === 0 ? 'controlplane' : `controlplane${pad(i + 1)}`)),
    workers: Array.from({ length: workers }, (_, i) => `node${pad(i + 1)}`),
  };
}
