import { z } from 'zod';
import { LogsUnavailable, NotFound, type KubeClient, type KubeObject } from '../kube.ts';
import type { CheckOutcome } from '../types.ts';
import { regex } from './args.ts';
import { definePrimitive } from './registry.ts';

/** Enough for any exam container's log; a chatty one is read from its start up to here. */
const logLimitBytes = 8 * 1024 * 1024;

const args = z
  .strictObject({
    namespace: z.string().min(1).default('default'),
    /** One Pod by name... */
    name: z.string().min(1).optional(),
    /** ...or every Pod a label selector picks (a Deployment's pods): one match is enough. */
    selector: z.string().min(1).optional(),
    /** Without it, every container of the Pod is read. */
    container: z.string().min(1).optional(),
    /** Matched line by line (`^` and `$` are line ends). */
    matches: regex,
    /** The log of the container's previous instance (after a crash or restart). */
    previous: z.boolean().default(false),
  })
  .refine((a) => (a.name === undefined) !== (a.selector === undefined), { message: 'give exactly one of name (a Pod) or selector (labels such as app=web)' });

type Args = z.infer<typeof args>;

/** One container's log, or why there is none. */
interface Read {
  where: string;
  log?: string;
  missing?: string;
}

function containerNames(pod: KubeObject): string[] {
  const spec = (pod['spec'] ?? {}) as { containers?: { name: string }[]; initContainers?: { name: string }[] };
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((c) => c.name);
}

async function readPod(kube: KubeClient, pod: KubeObject, a: Args): Promise<Read[]> {
  const name = pod.metadata?.name ?? '';
  const names = containerNames(pod);
  if (a.container !== undefined && !names.includes(a.container)) {
    return [{ where: `Pod ${a.namespace}/${name}`, missing: `has no container ${a.container} (it has ${names.join(', ') || 'none'})` }];
  }
  const containers = a.container !== undefined ? [a.container] : names;
  return Promise.all(
    containers.map(async (container): Promise<Read> => {
      const where = `Pod ${a.namespace}/${name} container ${container}${a.previous ? ' (previous instance)' : ''}`;
      try {
        return { where, log: await kube.podLogs(a.namespace, name, { container, previous: a.previous, limitBytes: logLimitBytes }) };
      } catch (error) {
        if (error instanceof LogsUnavailable) return { where, missing: error.message };
        if (error instanceof NotFound) return { where, missing: 'is gone' };
        throw error;
      }
    }),
  );
}

/** The last lines of a log, which is where a candidate looks first. */
function tail(log: string, lines = 20): string {
  return log.trimEnd().split('\n').slice(-lines).join('\n');
}

export const podLogs = definePrimitive({
  name: 'pod.logs',
  summary: "a Pod's container log (or its previous instance's) has a line matching a regex; with a selector, any one Pod's log",
  requires: ['pod-logs'],
  args,
  timeoutSeconds: 20,
  async run({ kube }, a): Promise<CheckOutcome> {
    const target = a.name !== undefined ? `Pod ${a.namespace}/${a.name}` : `Pods matching ${a.selector} in ${a.namespace}`;
    let pods: KubeObject[];
    if (a.name !== undefined) {
      try {
        pods = [await kube.get({ apiVersion: 'v1', kind: 'Pod', name: a.name, namespace: a.namespace })];
      } catch (error) {
        if (error instanceof NotFound) return { status: 'fail', message: `${target} does not exist`, expected: 'exists', actual: 'not found' };
        throw error;
      }
    } else {
      pods = await kube.list('v1', 'Pod', a.namespace, a.selector);
      if (pods.length === 0) return { status: 'fail', message: `no Pod in ${a.namespace} matches ${a.selector}`, path: 'selector', expected: `a Pod matching ${a.selector}`, actual: 'none' };
    }
    const pattern = new RegExp(a.matches, 'm');
    const reads = (await Promise.all(pods.map((p) => readPod(kube, p, a)))).flat();
    const hit = reads.find((r) => r.log !== undefined && pattern.test(r.log));
    if (hit) return { status: 'pass', message: `the log of ${hit.where} matches /${a.matches}/` };
    const read = reads.find((r) => r.log !== undefined);
    if (!read) {
      const why = reads.map((r) => `${r.where} ${r.missing ?? ''}`.trim()).join('; ');
      return { status: 'fail', message: `no log to read for ${target}: ${why}`, path: a.previous ? 'previous' : 'logs', expected: `/${a.matches}/`, actual: why };
    }
    return { status: 'fail', message: `no log line of ${target} matches /${a.matches}/`, path: 'logs', expected: `/${a.matches}/`, actual: tail(read.log ?? '') };
  },
});
