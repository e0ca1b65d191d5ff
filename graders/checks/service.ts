import { z } from 'zod';
import { getOrFail, isOutcome } from './args.ts';
import { definePrimitive } from './registry.ts';

interface Endpoint {
  addresses?: string[];
  conditions?: { ready?: boolean };
  targetRef?: { name?: string };
}

export const serviceEndpoints = definePrimitive({
  name: 'service.endpoints',
  summary: 'a Service has at least `min` ready endpoints (through its EndpointSlices)',
  args: z.strictObject({
    name: z.string().min(1),
    namespace: z.string().default('default'),
    min: z.number().int().min(1).default(1),
    port: z.number().int().optional(),
  }),
  timeoutSeconds: 15,
  async run({ kube }, a) {
    const ref = `Service ${a.namespace}/${a.name}`;
    const service = await getOrFail(kube, { apiVersion: 'v1', kind: 'Service', name: a.name, namespace: a.namespace }, ref);
    if (isOutcome(service)) return service;
    const slices = await kube.list('discovery.k8s.io/v1', 'EndpointSlice', a.namespace, `kubernetes.io/service-name=${a.name}`);
    const ready = slices
      .filter((s) => a.port === undefined || ((s['ports'] as { port?: number }[] | undefined) ?? []).some((p) => p.port === a.port))
      .flatMap((s) => (s['endpoints'] as Endpoint[] | undefined) ?? [])
      .filter((e) => e.conditions?.ready !== false);
    const pods = ready.map((e) => e.targetRef?.name ?? e.addresses?.[0]).filter(Boolean);
    return ready.length >= a.min
      ? { status: 'pass', message: `${ref} has ${ready.length} ready endpoint(s)` }
      : {
          status: 'fail',
          message: `${ref} has ${ready.length} ready endpoint(s), expected at least ${a.min}${a.port ? ` on port ${a.port}` : ''}`,
          expected: `>= ${a.min}`,
          actual: pods.length ? pods : 0,
        };
  },
});
