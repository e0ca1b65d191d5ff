import { describeError, KubexamError } from '../../errors.ts';
import { getJson } from './probes.ts';
import type { FaultTarget, SymptomReading } from './types.ts';

/**
 * Full recovery after a repair, the same for every fault: what tests and the bench wait for
 * before the next fault. A symptom gone is not enough (a pod that was deleted is not a pod that
 * runs again).
 */

interface Rollout {
  metadata: { namespace: string; name: string; generation: number };
  kind: string;
  spec: { replicas?: number };
  status: {
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    desiredNumberScheduled?: number;
    numberReady?: number;
    updatedNumberScheduled?: number;
  };
}

function rolloutLag(r: Rollout): string | undefined {
  const s = r.status;
  const desired = r.kind === 'DaemonSet' ? (s.desiredNumberScheduled ?? 0) : (r.spec.replicas ?? 1);
  const ready = r.kind === 'DaemonSet' ? (s.numberReady ?? 0) : (s.readyReplicas ?? 0);
  const updated = r.kind === 'DaemonSet' ? (s.updatedNumberScheduled ?? 0) : (s.updatedReplicas ?? 0);
  // Deployments also count old pods still there (replicas > desired during a rollout).
  const extra = r.kind === 'DaemonSet' ? 0 : (s.replicas ?? 0) - desired;
  if ((s.observedGeneration ?? 0) >= r.metadata.generation && ready === desired && updated === desired && extra <= 0) return undefined;
  return `${r.kind.toLowerCase()} ${r.metadata.namespace}/${r.metadata.name} ready ${ready}/${desired}, updated ${updated}`;
}

interface Pod {
  metadata: { namespace: string; name: string; deletionTimestamp?: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

interface Node {
  metadata: { name: string };
  status?: { conditions?: { type: string; status: string }[] };
}

/** Every node Ready, every Deployment and DaemonSet rolled out, every pod Running and Ready. `present` = healthy. */
export async function readHealth(target: FaultTarget): Promise<SymptomReading> {
  const problems: string[] = [];
  const nodes = await getJson<{ items: Node[] }>(target, ['get', 'nodes']);
  for (const n of nodes.items) {
    const ready = n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
    if (ready !== 'True') problems.push(`node ${n.metadata.name} Ready=${ready ?? 'missing'}`);
  }
  const rollouts = await getJson<{ items: Rollout[] }>(target, ['get', 'deployments,daemonsets', '--all-namespaces']);
  for (const r of rollouts.items) {
    const lag = rolloutLag(r);
    if (lag) problems.push(lag);
  }
  const pods = await getJson<{ items: Pod[] }>(target, ['get', 'pods', '--all-namespaces']);
  for (const p of pods.items) {
    if (p.status?.phase === 'Succeeded') continue;
    const ready = p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    if (p.metadata.deletionTimestamp || p.status?.phase !== 'Running' || !ready) {
      problems.push(`pod ${p.metadata.namespace}/${p.metadata.name} ${p.metadata.deletionTimestamp ? 'terminating' : (p.status?.phase ?? 'unknown')}${ready ? '' : ' not Ready'}`);
    }
  }
  return { present: problems.length === 0, seen: problems.length ? problems.join('; ') : `${nodes.items.length} nodes Ready, ${pods.items.length} pods Running` };
}

/** Polls `readHealth` until the cluster is healthy; returns the milliseconds it took. */
export async function awaitHealthy(target: FaultTarget, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let seen = '';
  for (;;) {
    try {
      const reading = await readHealth(target);
      if (reading.present) return Date.now() - started;
      seen = reading.seen;
    } catch (error) {
      seen = describeError(error);
    }
    if (Date.now() - started >= timeoutMs) throw new KubexamError('CLUSTER_NOT_HEALTHY', `cluster ${target.cluster.name} not healthy within ${Math.round(timeoutMs / 1000)} s: ${seen}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
