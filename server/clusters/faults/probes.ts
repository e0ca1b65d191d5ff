import type { FaultTarget, SymptomReading } from './types.ts';

/** Reads of the cluster that fault probes share; each says what it saw, for messages and reports. */

export async function getJson<T>(target: FaultTarget, args: readonly string[]): Promise<T> {
  return JSON.parse((await target.kubectl([...args, '-o', 'json'])).stdout) as T;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface NodeObject {
  status?: { conditions?: Condition[] };
}

/** The node's Ready condition as `kubectl describe node` shows it: `False (KubeletNotReady: ...)`. */
export async function nodeReadiness(target: FaultTarget, node: string): Promise<{ ready: boolean; seen: string }> {
  const object = await getJson<NodeObject>(target, ['get', 'node', node]);
  const ready = object.status?.conditions?.find((c) => c.type === 'Ready');
  if (!ready) return { ready: false, seen: `${node} has no Ready condition` };
  const why = [ready.reason, ready.message].filter(Boolean).join(': ');
  return { ready: ready.status === 'True', seen: `${node} Ready=${ready.status}${why ? ` (${why.slice(0, 160)})` : ''}` };
}

/** Symptom of every node fault: the node's Ready condition is not True (False or Unknown). */
export async function nodeNotReady(target: FaultTarget, node: string): Promise<SymptomReading> {
  const { ready, seen } = await nodeReadiness(target, node);
  return { present: !ready, seen };
}

export interface PodObject {
  metadata: { name: string; deletionTimestamp?: string; labels?: Record<string, string> };
  spec?: { nodeName?: string };
  status?: {
    phase?: string;
    conditions?: Condition[];
    containerStatuses?: { ready: boolean; restartCount: number; state: { waiting?: { reason?: string }; terminated?: { reason?: string } } }[];
  };
}

export interface PodState {
  name: string;
  node: string;
  ready: boolean;
  /** `Running`, `CrashLoopBackOff`, `ImagePullBackOff`, `Pending`, ...: the word a candidate sees. */
  state: string;
  restarts: number;
}

/** The live (not terminating) pods a label selector picks, with what `kubectl get pods` would show. */
export async function pods(target: FaultTarget, namespace: string, selector: string): Promise<PodState[]> {
  const list = await getJson<{ items: PodObject[] }>(target, ['-n', namespace, 'get', 'pods', '-l', selector]);
  return list.items
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => {
      const containers = p.status?.containerStatuses ?? [];
      const stuck = containers.map((c) => c.state.waiting?.reason ?? c.state.terminated?.reason).find(Boolean);
      return {
        name: p.metadata.name,
        node: p.spec?.nodeName ?? '',
        ready: p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True',
        state: stuck ?? p.status?.phase ?? 'Unknown',
        restarts: containers.reduce((n, c) => n + c.restartCount, 0),
      };
    });
}

export function describePods(list: readonly PodState[]): string {
  if (list.length === 0) return 'no pods';
  return list.map((p) => `${p.name} ${p.ready ? 'Ready' : 'not Ready'} ${p.state} restarts=${p.restarts}`).join('; ');
}

const crashed = ['CrashLoopBackOff', 'Error'];

/**
 * Symptom of a broken system component: it has pods, none is Ready, and one has crashed
 * (restarted or waiting in CrashLoopBackOff). A pod still being created is not yet a symptom.
 */
export function crashLooping(list: readonly PodState[]): SymptomReading {
  const present = list.length > 0 && list.every((p) => !p.ready) && list.some((p) => p.restarts > 0 || crashed.includes(p.state));
  return { present, seen: describePods(list) };
}
