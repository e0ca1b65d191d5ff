import type { z } from 'zod';
import type { RunResult } from '../../exec/run.ts';
import type { ClusterInfo, ProviderName } from '../provider.ts';

/** What a fault gets to work with: the cluster and kubectl bound to its admin kubeconfig. */
export interface FaultTarget {
  cluster: ClusterInfo;
  kubectl(args: readonly string[], input?: string): Promise<RunResult>;
}

/**
 * A way to break a cluster on purpose. One catalog serves every provider; each fault says
 * how it is done on each provider that can do it. Injecting twice leaves the same state.
 */
export interface Fault<Params = unknown> {
  name: string;
  summary: string;
  /** What the candidate will see, in the words of `kubectl get`. */
  symptom: string;
  params: z.ZodType<Params>;
  inject: Partial<Record<ProviderName, (target: FaultTarget, params: Params) => Promise<void>>>;
}

export function defineFault<Params>(fault: Fault<Params>): Fault<unknown> {
  return fault as Fault<unknown>;
}
