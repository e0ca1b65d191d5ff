import type { z } from 'zod';
import type { RunResult } from '../../exec/run.ts';
import type { NodeAccess } from '../node-access.ts';
import type { ClusterInfo, ProviderName } from '../provider.ts';

/**
 * What a fault gets to work with: the cluster, kubectl bound to its admin kubeconfig, and a
 * shell on its nodes where the provider has real nodes (kind).
 */
export interface FaultTarget {
  cluster: ClusterInfo;
  kubectl(args: readonly string[], input?: string): Promise<RunResult>;
  nodes?: NodeAccess | undefined;
}

export type FaultAction<Params> = (target: FaultTarget, params: Params) => Promise<void>;

/** One look at the cluster: is the symptom there, and what was seen (for messages and reports). */
export interface SymptomReading {
  present: boolean;
  seen: string;
}

/**
 * How to see that a fault took effect, the same way tests and the bench measure
 * fault-to-symptom time: poll `check` until `present`, expecting it within `withinSeconds`.
 * The check reads what a candidate would (the API; on kind sometimes the node).
 */
export interface SymptomProbe<Params> {
  /** What is polled, in words: "node01's Ready condition is not True". */
  polls: string;
  /** Upper bound on fault-to-symptom time with the cluster's default settings, in seconds. */
  withinSeconds: number;
  check(target: FaultTarget, params: Params): Promise<SymptomReading>;
}

/**
 * A way to break a cluster on purpose. One catalog serves every provider; each fault says
 * how it is done on each provider that can do it, and how a candidate would undo it.
 * Injecting twice leaves the same state; so does repairing twice.
 */
export interface Fault<Params = unknown> {
  name: string;
  summary: string;
  /** What the candidate will see, in the words of `kubectl get`. */
  symptom: string;
  params: z.ZodType<Params>;
  inject: Partial<Record<ProviderName, FaultAction<Params>>>;
  /**
   * The fix a candidate would make (the same commands a lab's solution shows), per provider.
   * A fault whose fix needs something the fault destroyed (a removed ConfigMap value) has none
   * for that provider; `repairGap` says why.
   */
  repair: Partial<Record<ProviderName, FaultAction<Params>>>;
  repairGap?: string;
  probe: SymptomProbe<Params>;
}

export function defineFault<Params>(fault: Fault<Params>): Fault<unknown> {
  return fault as Fault<unknown>;
}
