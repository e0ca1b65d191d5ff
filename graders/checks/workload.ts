import { z } from 'zod';
import type { KubeObject } from '../kube.ts';
import { getOrFail, isOutcome, refText } from './args.ts';
import { definePrimitive } from './registry.ts';

const kinds = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Job: 'batch/v1',
} as const;

type Status = Record<string, number | undefined>;

/** Whether a workload is fully rolled out and ready (a Job: has completed), and why not. */
function readiness(kind: keyof typeof kinds, object: KubeObject, replicas?: number): { ready: boolean; detail: string } {
  const spec = (object['spec'] ?? {}) as Record<string, unknown>;
  const status = (object['status'] ?? {}) as Status;
  const generation = object.metadata?.generation ?? 0;
  const observed = status['observedGeneration'] ?? 0;
  if (kind === 'Job') {
    const completions = (spec['completions'] as number | undefined) ?? 1;
    const succeeded = status['succeeded'] ?? 0;
    return { ready: succeeded >= completions, detail: `${succeeded}/${completions} completions succeeded` };
  }
  if (kind === 'DaemonSet') {
    const desired = status['desiredNumberScheduled'] ?? 0;
    const ready = status['numberReady'] ?? 0;
    const updated = status['updatedNumberScheduled'] ?? 0;
    return { ready: observed >= generation && desired > 0 && ready === desired && updated === desired, detail: `${ready}/${desired} ready` };
  }
  const want = (spec['replicas'] as number | undefined) ?? 1;
  const readyReplicas = status['readyReplicas'] ?? 0;
  const updated = kind === 'ReplicaSet' ? readyReplicas : status['updatedReplicas'] ?? 0;
  const total = status['replicas'] ?? 0;
  const replicasOk = replicas === undefined || want === replicas;
  const ready = observed >= generation && readyReplicas === want && updated === want && total === want && replicasOk;
  const detail = replicasOk ? `${readyReplicas}/${want} ready, ${updated} updated` : `spec.replicas is ${want}, expected ${replicas}`;
  return { ready, detail };
}

export const workloadReady = definePrimitive({
  name: 'workload.ready',
  summary: 'a Deployment, StatefulSet, DaemonSet or ReplicaSet is rolled out with every replica ready; a Job has completed',
  args: z.strictObject({
    kind: z.enum(Object.keys(kinds) as [keyof typeof kinds, ...(keyof typeof kinds)[]]),
    name: z.string().min(1),
    namespace: z.string().default('default'),
    replicas: z.number().int().min(0).optional(),
  }),
  timeoutSeconds: 20,
  async run({ kube }, a) {
    const ref = { apiVersion: kinds[a.kind], kind: a.kind, name: a.name, namespace: a.namespace };
    const object = await getOrFail(kube, ref);
    if (isOutcome(object)) return object;
    const { ready, detail } = readiness(a.kind, object, a.replicas);
    return ready
      ? { status: 'pass', message: `${refText(ref)} is ready (${detail})` }
      : { status: 'fail', message: `${refText(ref)} is not ready: ${detail}`, expected: 'ready', actual: detail };
  },
});
