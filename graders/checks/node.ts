import { z } from 'zod';
import { getOrFail, isOutcome } from './args.ts';
import { definePrimitive } from './registry.ts';

interface NodeCondition {
  type?: string;
  status?: string;
  reason?: string;
}

export const nodeReady = definePrimitive({
  name: 'node.ready',
  summary: 'a node reports Ready (or, with ready: false, does not)',
  args: z.strictObject({ node: z.string().min(1), ready: z.boolean().default(true) }),
  timeoutSeconds: 30,
  async run({ kube }, a) {
    const node = await getOrFail(kube, { apiVersion: 'v1', kind: 'Node', name: a.node }, `node ${a.node}`);
    if (isOutcome(node)) return node;
    const conditions = ((node['status'] as { conditions?: NodeCondition[] } | undefined)?.conditions ?? []);
    const ready = conditions.find((c) => c.type === 'Ready');
    const isReady = ready?.status === 'True';
    const actual = ready ? `Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ''}` : 'no Ready condition';
    return isReady === a.ready
      ? { status: 'pass', message: `node ${a.node} is ${isReady ? 'Ready' : 'NotReady'}` }
      : { status: 'fail', message: `node ${a.node}: ${actual}, expected ${a.ready ? 'Ready' : 'NotReady'}`, path: 'status.conditions[type=Ready].status', expected: a.ready ? 'True' : 'not True', actual: ready?.status ?? 'missing' };
  },
});

export const nodeSchedulable = definePrimitive({
  name: 'node.schedulable',
  summary: 'a node is schedulable (or, with schedulable: false, cordoned)',
  args: z.strictObject({ node: z.string().min(1), schedulable: z.boolean().default(true) }),
  timeoutSeconds: 5,
  async run({ kube }, a) {
    const node = await getOrFail(kube, { apiVersion: 'v1', kind: 'Node', name: a.node }, `node ${a.node}`);
    if (isOutcome(node)) return node;
    const cordoned = (node['spec'] as { unschedulable?: boolean } | undefined)?.unschedulable === true;
    return !cordoned === a.schedulable
      ? { status: 'pass', message: `node ${a.node} is ${cordoned ? 'cordoned' : 'schedulable'}` }
      : { status: 'fail', message: `node ${a.node} is ${cordoned ? 'cordoned' : 'schedulable'}, expected ${a.schedulable ? 'schedulable' : 'cordoned'}`, path: 'spec.unschedulable', expected: !a.schedulable, actual: cordoned };
  },
});
