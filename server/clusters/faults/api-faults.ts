import { z } from 'zod';
import { KubexamError } from '../../errors.ts';
import { pullableImages } from '../images.ts';
import { defineFault, type FaultTarget } from './types.ts';
import { imageTypo, typo } from './typo.ts';

/** Faults done through the Kubernetes API alone: the same on every provider. */

const deploymentParams = z.strictObject({
  namespace: z.string().default('default'),
  deployment: z.string().min(1),
  /** Container to break; the first one by default. */
  container: z.string().optional(),
});

async function jsonpath(target: FaultTarget, args: string[], path: string): Promise<string> {
  return (await target.kubectl([...args, '-o', `jsonpath=${path}`])).stdout.trim();
}

async function containerName(target: FaultTarget, p: z.infer<typeof deploymentParams>): Promise<string> {
  if (p.container) return p.container;
  const name = await jsonpath(target, ['-n', p.namespace, 'get', 'deployment', p.deployment], '{.spec.template.spec.containers[0].name}');
  if (!name) throw new KubexamError('FAULT_TARGET_INVALID', `deployment ${p.namespace}/${p.deployment} has no containers`);
  return name;
}

/** A fault done through the API: one implementation for every provider. */
function apiFault<S extends z.ZodType>(def: {
  name: string;
  summary: string;
  symptom: string;
  params: S;
  run: (target: FaultTarget, params: z.output<S>) => Promise<void>;
}) {
  const { run, ...rest } = def;
  return defineFault<z.output<S>>({ ...rest, params: def.params as z.ZodType<z.output<S>>, inject: { kwok: run, kind: run } });
}

export const deploymentBadImage = apiFault({
  name: 'deployment-bad-image',
  summary: "misspell a Deployment's container image",
  symptom: 'new pods stay in ErrImagePull / ImagePullBackOff; the rollout does not finish',
  params: deploymentParams.extend({ image: z.string().optional() }),
  run: async (target, p) => {
    const container = await containerName(target, p);
    const current = await jsonpath(target, ['-n', p.namespace, 'get', 'deployment', p.deployment], `{.spec.template.spec.containers[?(@.name=="${container}")].image}`);
    // A typo of the typo can be the right name again (ngnix -> nginx); an image that no node
    // can pull means the fault is already in place.
    if (p.image === undefined && !pullableImages.includes(current)) return;
    const image = p.image ?? imageTypo(current);
    if (current === image) return;
    await target.kubectl(['-n', p.namespace, 'set', 'image', `deployment/${p.deployment}`, `${container}=${image}`]);
  },
});

export const podCrashing = apiFault({
  name: 'pod-crashing',
  summary: "replace a Deployment container's command with one that exits 1",
  symptom: 'pods go to CrashLoopBackOff with restarts; logs say a config file is missing',
  params: deploymentParams.extend({ message: z.string().default('error: open /etc/app/config.yaml: no such file or directory') }),
  run: async (target, p) => {
    const container = await containerName(target, p);
    const patch = { spec: { template: { spec: { containers: [{ name: container, command: ['sh', '-c', `echo '${p.message.replaceAll("'", '')}' >&2; exit 1`], args: null }] } } } };
    await target.kubectl(['-n', p.namespace, 'patch', 'deployment', p.deployment, '--type', 'strategic', '-p', JSON.stringify(patch)]);
  },
});

export const serviceWrongSelector = apiFault({
  name: 'service-wrong-selector',
  summary: "misspell a Service's selector values",
  symptom: 'the Service has no endpoints; clients time out',
  params: z.strictObject({
    namespace: z.string().default('default'),
    service: z.string().min(1),
    selector: z.record(z.string(), z.string()).optional(),
  }),
  run: async (target, p) => {
    const current = JSON.parse((await jsonpath(target, ['-n', p.namespace, 'get', 'service', p.service], '{.spec.selector}')) || '{}') as Record<string, string>;
    // A typo of the typo can be the right value again (wbe -> web); a selector that picks no pod
    // and no workload's pods means the fault is already in place.
    if (!p.selector && !(await selectsAnything(target, p.namespace, current))) return;
    const wrong = p.selector ?? Object.fromEntries(Object.entries(current).map(([k, v]) => [k, typo(v)]));
    const patch = [{ op: 'replace', path: '/spec/selector', value: wrong }];
    await target.kubectl(['-n', p.namespace, 'patch', 'service', p.service, '--type', 'json', '-p', JSON.stringify(patch)]);
  },
});

interface Labelled {
  kind?: string;
  metadata?: { labels?: Record<string, string> };
  spec?: { template?: { metadata?: { labels?: Record<string, string> } } };
}

/** Whether `selector` picks a pod of the namespace, or a pod that one of its workloads would create. */
async function selectsAnything(target: FaultTarget, namespace: string, selector: Record<string, string>): Promise<boolean> {
  const { stdout } = await target.kubectl(['-n', namespace, 'get', 'pods,deployments,statefulsets,daemonsets,replicasets,jobs', '-o', 'json']);
  const items = (JSON.parse(stdout) as { items?: Labelled[] }).items ?? [];
  return items.some((item) => {
    const labels = (item.kind === 'Pod' ? item.metadata?.labels : item.spec?.template?.metadata?.labels) ?? {};
    return Object.entries(selector).every(([k, v]) => labels[k] === v);
  });
}

export const corednsScaledToZero = apiFault({
  name: 'coredns-scaled-to-zero',
  summary: 'scale the CoreDNS Deployment in kube-system to 0 replicas',
  symptom: 'no coredns pods; the kube-dns Service has no endpoints; name lookups fail',
  params: z.strictObject({}),
  run: async (target) => {
    await target.kubectl(['-n', 'kube-system', 'scale', 'deployment', 'coredns', '--replicas=0']);
  },
});

export const configmapKeyMissing = apiFault({
  name: 'configmap-key-missing',
  summary: 'remove a key from a ConfigMap that a workload reads',
  symptom: 'pods that read the key fail with CreateContainerConfigError (kind); the key is gone from the ConfigMap',
  params: z.strictObject({ namespace: z.string().default('default'), configmap: z.string().min(1), key: z.string().min(1) }),
  run: async (target, p) => {
    const data = JSON.parse((await jsonpath(target, ['-n', p.namespace, 'get', 'configmap', p.configmap], '{.data}')) || '{}') as Record<string, string>;
    if (!(p.key in data)) return;
    const pointer = p.key.replaceAll('~', '~0').replaceAll('/', '~1');
    await target.kubectl(['-n', p.namespace, 'patch', 'configmap', p.configmap, '--type', 'json', '-p', JSON.stringify([{ op: 'remove', path: `/data/${pointer}` }])]);
  },
});
