import { z } from 'zod';
import { KubexamError } from '../../errors.ts';
import { pullableImages } from '../images.ts';
import { getJson, pods, describePods } from './probes.ts';
import { defineFault, type FaultTarget, type SymptomProbe, type SymptomReading } from './types.ts';
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
  fix?: (target: FaultTarget, params: z.output<S>) => Promise<void>;
  repairGap?: string;
  probe: SymptomProbe<z.output<S>>;
}) {
  const { run, fix, ...rest } = def;
  return defineFault<z.output<S>>({
    ...rest,
    params: def.params as z.ZodType<z.output<S>>,
    inject: { kwok: run, kind: run },
    repair: fix ? { kwok: fix, kind: fix } : {},
  });
}

/** Symptom of a broken Deployment: one of its live pods is waiting for one of `reasons`. */
function podsWaiting(reasons: readonly string[], withinSeconds: number): SymptomProbe<z.infer<typeof deploymentParams>> {
  return {
    polls: `a pod of the Deployment is in ${reasons.join(' or ')}`,
    withinSeconds,
    check: async (target, p) => {
      const labels = await jsonpath(target, ['-n', p.namespace, 'get', 'deployment', p.deployment], '{.spec.selector.matchLabels}');
      const selector = Object.entries(JSON.parse(labels || '{}') as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
      const list = await pods(target, p.namespace, selector);
      return { present: list.some((pod) => reasons.includes(pod.state)), seen: describePods(list) };
    },
  };
}

/** `kubectl rollout undo`, the candidate's fix for a bad rollout; only while `broken` holds, so a second repair is no second undo. */
async function undoWhile(target: FaultTarget, p: z.infer<typeof deploymentParams>, broken: (container: { image: string; command?: string[] }) => boolean): Promise<void> {
  const name = await containerName(target, p);
  const deployment = await getJson<{ spec: { template: { spec: { containers: { name: string; image: string; command?: string[] }[] } } } }>(target, ['-n', p.namespace, 'get', 'deployment', p.deployment]);
  const container = deployment.spec.template.spec.containers.find((c) => c.name === name);
  if (container && broken(container)) await target.kubectl(['-n', p.namespace, 'rollout', 'undo', `deployment/${p.deployment}`]);
}

/** Names of the pods behind a Service's ready endpoints. */
async function readyEndpoints(target: FaultTarget, namespace: string, service: string): Promise<string[]> {
  const slices = await getJson<{ items: { endpoints?: { targetRef?: { name: string }; conditions?: { ready?: boolean } }[] }[] }>(target, [
    '-n',
    namespace,
    'get',
    'endpointslices',
    '-l',
    `kubernetes.io/service-name=${service}`,
  ]);
  return slices.items.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).map((e) => e.targetRef?.name ?? '?');
}

async function serviceWithoutEndpoints(target: FaultTarget, namespace: string, service: string): Promise<SymptomReading> {
  const ready = await readyEndpoints(target, namespace, service);
  return { present: ready.length === 0, seen: ready.length ? `${service} endpoints ${ready.join(', ')}` : `${service} has no ready endpoints` };
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
  fix: (target, p) => undoWhile(target, p, (c) => !pullableImages.includes(c.image)),
  probe: podsWaiting(['ErrImagePull', 'ImagePullBackOff'], 60),
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
  fix: (target, p) => undoWhile(target, p, (c) => c.command?.at(-1)?.endsWith('; exit 1') === true),
  probe: podsWaiting(['CrashLoopBackOff', 'Error'], 60),
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
  fix: async (target, p) => {
    const current = JSON.parse((await jsonpath(target, ['-n', p.namespace, 'get', 'service', p.service], '{.spec.selector}')) || '{}') as Record<string, string>;
    if (await selectsAnything(target, p.namespace, current)) return;
    // As a candidate would: the pod labels of the namespace's workload that the wrong selector
    // misspells (same keys, each value the same letters in another order).
    const sameLetters = (a: string, b: string) => [...a].sort().join('') === [...b].sort().join('');
    const right = (await workloadLabels(target, p.namespace)).find((labels) => Object.entries(current).every(([k, v]) => labels[k] !== undefined && sameLetters(labels[k], v)));
    if (!right) throw new KubexamError('FAULT_REPAIR_FAILED', `service ${p.namespace}/${p.service}: no workload's pod labels are a misspelling of the selector ${JSON.stringify(current)}`);
    const selector = Object.fromEntries(Object.keys(current).map((k) => [k, right[k] as string]));
    await target.kubectl(['-n', p.namespace, 'patch', 'service', p.service, '--type', 'json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/selector', value: selector }])]);
  },
  probe: { polls: 'the Service has no ready endpoints', withinSeconds: 30, check: (target, p) => serviceWithoutEndpoints(target, p.namespace, p.service) },
});

interface Labelled {
  kind?: string;
  metadata?: { labels?: Record<string, string> };
  spec?: { template?: { metadata?: { labels?: Record<string, string> } } };
}

/** The labels of the namespace's pods and of the pods its workloads would create. */
async function workloadLabels(target: FaultTarget, namespace: string): Promise<Record<string, string>[]> {
  const { stdout } = await target.kubectl(['-n', namespace, 'get', 'pods,deployments,statefulsets,daemonsets,replicasets,jobs', '-o', 'json']);
  const items = (JSON.parse(stdout) as { items?: Labelled[] }).items ?? [];
  return items.map((item) => (item.kind === 'Pod' ? item.metadata?.labels : item.spec?.template?.metadata?.labels) ?? {});
}

/** Whether `selector` picks a pod of the namespace, or a pod that one of its workloads would create. */
async function selectsAnything(target: FaultTarget, namespace: string, selector: Record<string, string>): Promise<boolean> {
  return (await workloadLabels(target, namespace)).some((labels) => Object.entries(selector).every(([k, v]) => labels[k] === v));
}

export const corednsScaledToZero = apiFault({
  name: 'coredns-scaled-to-zero',
  summary: 'scale the CoreDNS Deployment in kube-system to 0 replicas',
  symptom: 'no coredns pods; the kube-dns Service has no endpoints; name lookups fail',
  params: z.strictObject({}),
  run: async (target) => {
    await target.kubectl(['-n', 'kube-system', 'scale', 'deployment', 'coredns', '--replicas=0']);
  },
  // kubeadm's default: two replicas.
  fix: async (target) => {
    await target.kubectl(['-n', 'kube-system', 'scale', 'deployment', 'coredns', '--replicas=2']);
  },
  probe: { polls: 'the kube-dns Service has no ready endpoints', withinSeconds: 30, check: (target) => serviceWithoutEndpoints(target, 'kube-system', 'kube-dns') },
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
  repairGap: "the removed value is gone; the lab's solution puts it back",
  probe: {
    polls: 'the key is missing from the ConfigMap',
    withinSeconds: 5,
    check: async (target, p) => {
      const data = JSON.parse((await jsonpath(target, ['-n', p.namespace, 'get', 'configmap', p.configmap], '{.data}')) || '{}') as Record<string, string>;
      return { present: !(p.key in data), seen: `keys ${Object.keys(data).join(', ') || '(none)'}` };
    },
  },
});
