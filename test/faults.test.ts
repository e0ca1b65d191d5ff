import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awaitSymptom, injectFault, repairFault } from '../server/clusters/faults/catalog.ts';
import type { FaultTarget } from '../server/clusters/faults/types.ts';
import type { ClusterInfo } from '../server/clusters/provider.ts';
import { KubexamError } from '../server/errors.ts';
import { kubectl } from '../server/exec/kubectl.ts';
import { createCluster, testEnv, type TestEnv } from './support/kwok.ts';
import { until } from './support/until.ts';

/**
 * Every fault of the catalog on one real kwok cluster: inject, see the symptom through the
 * API, inject again and see nothing change, repair as a candidate would, see it recover.
 */

let env: TestEnv;
let cluster: ClusterInfo;
let target: FaultTarget;

function k(args: readonly string[], input?: string) {
  return kubectl(env.kubectl, cluster.kubeconfig, args, input !== undefined ? { input } : {});
}

async function getJson<T>(args: readonly string[]): Promise<T> {
  return JSON.parse((await k([...args, '-o', 'json'])).stdout) as T;
}


interface Deployment {
  metadata: { generation: number; resourceVersion: string };
  spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { spec: { containers: { name: string; image: string; command?: string[] }[] } } };
  status: { replicas?: number; readyReplicas?: number; updatedReplicas?: number; observedGeneration?: number };
}

interface PodList {
  items: { metadata: { name: string; deletionTimestamp?: string }; status: { containerStatuses?: { ready: boolean; state: { waiting?: { reason: string } } }[] } }[];
}

interface SliceList {
  items: { endpoints?: { targetRef?: { name: string }; conditions?: { ready?: boolean } }[] }[];
}

function deployment(namespace: string, name: string, replicas: number, container: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container] } },
    },
  });
}

async function setUp(namespace: string, ...manifests: string[]): Promise<void> {
  await k(['create', 'namespace', namespace]);
  for (const manifest of manifests) await k(['apply', '-f', '-'], manifest);
}

function getDeployment(namespace: string, name: string): Promise<Deployment> {
  return getJson<Deployment>(['-n', namespace, 'get', 'deployment', name]);
}

function rolledOut(d: Deployment): boolean {
  const s = d.status;
  return (s.observedGeneration ?? 0) >= d.metadata.generation && s.readyReplicas === d.spec.replicas && s.updatedReplicas === d.spec.replicas && s.replicas === d.spec.replicas;
}

async function waitRolledOut(namespace: string, name: string): Promise<Deployment> {
  return until(`deployment ${namespace}/${name} rolled out`, () => getDeployment(namespace, name), rolledOut);
}

/** The waiting reasons of the live (not terminating) pods of `app`, one per container. */
async function waitingReasons(namespace: string, app: string): Promise<string[]> {
  const pods = await getJson<PodList>(['-n', namespace, 'get', 'pods', '-l', `app=${app}`]);
  return pods.items
    .filter((p) => !p.metadata.deletionTimestamp)
    .flatMap((p) => (p.status.containerStatuses ?? []).map((c) => c.state.waiting?.reason ?? (c.ready ? 'ready' : 'not-ready')));
}

/** Names of the pods behind a Service's ready endpoints. */
async function readyEndpoints(namespace: string, service: string): Promise<string[]> {
  const slices = await getJson<SliceList>(['-n', namespace, 'get', 'endpointslices', '-l', `kubernetes.io/service-name=${service}`]);
  return slices.items
    .flatMap((s) => s.endpoints ?? [])
    .filter((e) => e.conditions?.ready !== false)
    .map((e) => e.targetRef?.name ?? '?')
    .sort();
}

beforeAll(async () => {
  env = await testEnv();
  cluster = await createCluster(env, 'faults');
  target = { cluster, kubectl: (args, input) => k(args, input) };
});

afterAll(async () => {
  await env?.cleanup();
});

describe('pod-crashing', () => {
  it('puts the pods in CrashLoopBackOff until the command is repaired', async () => {
    await setUp('crash', deployment('crash', 'api', 1, { name: 'api', image: 'busybox:1.36', command: ['sleep', '3600'] }));
    await waitRolledOut('crash', 'api');

    await injectFault('pod-crashing', { namespace: 'crash', deployment: 'api' }, target);
    const broken = await getDeployment('crash', 'api');
    expect(broken.spec.template.spec.containers[0]?.command?.join(' ')).toMatch(/config\.yaml.*exit 1$/);
    await until('a crashing api pod', () => waitingReasons('crash', 'api'), (reasons) => reasons.includes('CrashLoopBackOff'));
    expect(rolledOut(await getDeployment('crash', 'api'))).toBe(false);

    await injectFault('pod-crashing', { namespace: 'crash', deployment: 'api' }, target);
    const again = await getDeployment('crash', 'api');
    expect(again.metadata.generation).toBe(broken.metadata.generation);
    expect(again.spec.template).toEqual(broken.spec.template);

    await awaitSymptom('pod-crashing', { namespace: 'crash', deployment: 'api' }, target);
    await repairFault('pod-crashing', { namespace: 'crash', deployment: 'api' }, target);
    const repaired = await waitRolledOut('crash', 'api');
    expect(repaired.spec.template.spec.containers[0]?.command).toEqual(['sleep', '3600']);
    await repairFault('pod-crashing', { namespace: 'crash', deployment: 'api' }, target);
    expect((await getDeployment('crash', 'api')).metadata.generation).toBe(repaired.metadata.generation);
    await until('api pods all ready', () => waitingReasons('crash', 'api'), (reasons) => reasons.length === 1 && reasons.every((r) => r === 'ready'));
  });
});

describe('deployment-bad-image', () => {
  it('leaves pods in ImagePullBackOff until the image is set back', async () => {
    await setUp('image', deployment('image', 'shop', 2, { name: 'web', image: 'nginx:1.27' }));
    await waitRolledOut('image', 'shop');

    await injectFault('deployment-bad-image', { namespace: 'image', deployment: 'shop' }, target);
    const broken = await getDeployment('image', 'shop');
    expect(broken.spec.template.spec.containers[0]?.image).toBe('ngnix:1.27');
    await until('a shop pod failing to pull', () => waitingReasons('image', 'shop'), (reasons) => reasons.includes('ImagePullBackOff'));
    expect(rolledOut(await getDeployment('image', 'shop'))).toBe(false);

    await injectFault('deployment-bad-image', { namespace: 'image', deployment: 'shop' }, target);
    const again = await getDeployment('image', 'shop');
    expect(again.spec.template.spec.containers[0]?.image).toBe('ngnix:1.27');
    expect(again.metadata.generation).toBe(broken.metadata.generation);

    await awaitSymptom('deployment-bad-image', { namespace: 'image', deployment: 'shop' }, target);
    await repairFault('deployment-bad-image', { namespace: 'image', deployment: 'shop' }, target);
    const repaired = await waitRolledOut('image', 'shop');
    expect(repaired.spec.template.spec.containers[0]?.image).toBe('nginx:1.27');
    await repairFault('deployment-bad-image', { namespace: 'image', deployment: 'shop' }, target);
    expect((await getDeployment('image', 'shop')).metadata.generation).toBe(repaired.metadata.generation);
    await until('shop pods all ready', () => waitingReasons('image', 'shop'), (reasons) => reasons.length === 2 && reasons.every((r) => r === 'ready'));
  });

  it('sets the image it is given', async () => {
    await setUp('image2', deployment('image2', 'cache', 1, { name: 'redis', image: 'redis:7.4' }));
    await injectFault('deployment-bad-image', { namespace: 'image2', deployment: 'cache', container: 'redis', image: 'redis:7.4-nonexistent' }, target);
    expect((await getDeployment('image2', 'cache')).spec.template.spec.containers[0]?.image).toBe('redis:7.4-nonexistent');
    await until('a cache pod failing to pull', () => waitingReasons('image2', 'cache'), (reasons) => reasons.includes('ImagePullBackOff'));
  });
});

describe('service-wrong-selector', () => {
  it('leaves the Service without endpoints until the selector is restored', async () => {
    const service = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'svc' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] },
    });
    await setUp('svc', deployment('svc', 'web', 2, { name: 'web', image: 'nginx:1.27' }), service);
    await until('web endpoints', () => readyEndpoints('svc', 'web'), (pods) => pods.length === 2);

    await injectFault('service-wrong-selector', { namespace: 'svc', service: 'web' }, target);
    const wrong = (await getJson<{ spec: { selector: Record<string, string> } }>(['-n', 'svc', 'get', 'service', 'web'])).spec.selector;
    expect(wrong).toEqual({ app: 'wbe' });
    await until('web without ready endpoints', () => readyEndpoints('svc', 'web'), (pods) => pods.length === 0);

    await injectFault('service-wrong-selector', { namespace: 'svc', service: 'web' }, target);
    expect((await getJson<{ spec: { selector: Record<string, string> } }>(['-n', 'svc', 'get', 'service', 'web'])).spec.selector).toEqual(wrong);
    expect(await readyEndpoints('svc', 'web')).toEqual([]);

    await awaitSymptom('service-wrong-selector', { namespace: 'svc', service: 'web' }, target);
    await repairFault('service-wrong-selector', { namespace: 'svc', service: 'web' }, target);
    await repairFault('service-wrong-selector', { namespace: 'svc', service: 'web' }, target);
    expect((await getJson<{ spec: { selector: Record<string, string> } }>(['-n', 'svc', 'get', 'service', 'web'])).spec.selector).toEqual({ app: 'web' });
    await until('web endpoints back', () => readyEndpoints('svc', 'web'), (pods) => pods.length === 2);
  });

  it('breaks a Service whose Deployment has no pods yet, and takes a selector it is given', async () => {
    const service = (name: string) =>
      JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'svc2' }, spec: { selector: { app: 'api', tier: 'backend' }, ports: [{ port: 8080 }] } });
    const api = JSON.parse(deployment('svc2', 'api', 1, { name: 'api', image: 'httpd:2.4' })) as { spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } } };
    api.spec.selector.matchLabels = api.spec.template.metadata.labels = { app: 'api', tier: 'backend' };
    await setUp('svc2', JSON.stringify(api), service('api'), service('api-internal'));
    const selector = async (name: string) => (await getJson<{ spec: { selector: Record<string, string> } }>(['-n', 'svc2', 'get', 'service', name])).spec.selector;

    await injectFault('service-wrong-selector', { namespace: 'svc2', service: 'api' }, target);
    expect(await selector('api')).toEqual({ app: 'aip', tier: 'baceknd' });
    await until('api pod running', () => waitingReasons('svc2', 'api'), (reasons) => reasons.length === 1 && reasons[0] === 'ready');
    await injectFault('service-wrong-selector', { namespace: 'svc2', service: 'api' }, target);
    expect(await selector('api')).toEqual({ app: 'aip', tier: 'baceknd' });
    expect(await readyEndpoints('svc2', 'api')).toEqual([]);
    await injectFault('service-wrong-selector', { namespace: 'svc2', service: 'api-internal', selector: { app: 'api-v2' } }, target);
    expect(await selector('api-internal')).toEqual({ app: 'api-v2' });
    await until('api-internal without ready endpoints', () => readyEndpoints('svc2', 'api-internal'), (pods) => pods.length === 0);
    await injectFault('service-wrong-selector', { namespace: 'svc2', service: 'api-internal', selector: { app: 'api-v2' } }, target);
    expect(await selector('api-internal')).toEqual({ app: 'api-v2' });
  });
});

describe('coredns-scaled-to-zero', () => {
  it('removes every DNS endpoint until CoreDNS is scaled back', async () => {
    await waitRolledOut('kube-system', 'coredns');
    expect(await readyEndpoints('kube-system', 'kube-dns')).toHaveLength(2);

    await injectFault('coredns-scaled-to-zero', {}, target);
    const scaled = await until('coredns at 0 ready replicas', () => getDeployment('kube-system', 'coredns'), (d) => d.spec.replicas === 0 && !d.status.readyReplicas);
    await until('kube-dns without endpoints', () => readyEndpoints('kube-system', 'kube-dns'), (pods) => pods.length === 0);

    await injectFault('coredns-scaled-to-zero', {}, target);
    const again = await getDeployment('kube-system', 'coredns');
    expect(again.spec.replicas).toBe(0);
    expect(again.metadata.generation).toBe(scaled.metadata.generation);

    await awaitSymptom('coredns-scaled-to-zero', {}, target);
    await repairFault('coredns-scaled-to-zero', {}, target);
    await waitRolledOut('kube-system', 'coredns');
    await until('kube-dns endpoints back', () => readyEndpoints('kube-system', 'kube-dns'), (pods) => pods.length === 2);
  });
});

describe('configmap-key-missing', () => {
  it('removes one key and leaves the others until it is put back', async () => {
    const configmap = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'config' },
      data: { 'app.properties': 'color=blue\n', DB_HOST: 'postgres.config.svc' },
    });
    await setUp('config', configmap);
    type ConfigMap = { metadata: { resourceVersion: string }; data?: Record<string, string> };
    const read = () => getJson<ConfigMap>(['-n', 'config', 'get', 'configmap', 'settings']);

    await injectFault('configmap-key-missing', { namespace: 'config', configmap: 'settings', key: 'DB_HOST' }, target);
    const broken = await read();
    expect(broken.data).toEqual({ 'app.properties': 'color=blue\n' });

    await injectFault('configmap-key-missing', { namespace: 'config', configmap: 'settings', key: 'DB_HOST' }, target);
    const again = await read();
    expect(again.metadata.resourceVersion).toBe(broken.metadata.resourceVersion);

    await k(['-n', 'config', 'patch', 'configmap', 'settings', '--type', 'merge', '-p', JSON.stringify({ data: { DB_HOST: 'postgres.config.svc' } })]);
    expect((await read()).data).toEqual({ 'app.properties': 'color=blue\n', DB_HOST: 'postgres.config.svc' });
  });
});

// Last: a NotReady node taints itself, which must not disturb the faults above.
describe('node-not-ready', () => {
  type Node = { metadata: { labels: Record<string, string> }; status: { conditions: { type: string; status: string; reason?: string }[] } };
  const readNode = () => getJson<Node>(['get', 'node', 'node02']);
  const ready = (n: Node) => n.status.conditions.find((c) => c.type === 'Ready')?.status;

  it('makes the node NotReady until the kwok label is removed', async () => {
    expect(ready(await readNode())).toBe('True');

    await injectFault('node-not-ready', { node: 'node02' }, target);
    const broken = await until('node02 NotReady', readNode, (n) => ready(n) === 'False');
    expect(ready(await getJson<Node>(['get', 'node', 'node01']))).toBe('True');

    await injectFault('node-not-ready', { node: 'node02' }, target);
    const again = await readNode();
    expect(again.metadata.labels).toEqual(broken.metadata.labels);
    expect(ready(again)).toBe('False');

    await repairFault('node-not-ready', { node: 'node02' }, target);
    await until('node02 Ready again', readNode, (n) => ready(n) === 'True');
    await awaitSymptom('node-not-ready', { node: 'node02' }, target, { present: false, timeoutMs: 5_000 });
  });
});

describe('injectFault errors', () => {
  /** A target that records kubectl calls instead of making them: errors must come before any change. */
  function recording(provider: ClusterInfo['provider']) {
    const calls: string[][] = [];
    const fake: FaultTarget = {
      cluster: { ...cluster, provider },
      kubectl: async (args) => {
        calls.push([...args]);
        return { stdout: '', stderr: '', exitCode: 0 };
      },
    };
    return { calls, fake };
  }

  async function codeOf(promise: Promise<unknown>): Promise<KubexamError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KubexamError);
    return error as KubexamError;
  }

  it('rejects a fault name not in the catalog', async () => {
    const { calls, fake } = recording('kwok');
    const error = await codeOf(injectFault('node-on-fire', { node: 'node01' }, fake));
    expect(error.code).toBe('FAULT_UNKNOWN');
    expect(error.message).toContain('no fault named "node-on-fire"');
    expect(error.message).toContain('node-not-ready');
    expect(calls).toEqual([]);
  });

  it('rejects params that do not fit, naming the field', async () => {
    const { calls, fake } = recording('kwok');
    const missing = await codeOf(injectFault('pod-crashing', { namespace: 'crash' }, fake));
    expect(missing.code).toBe('FAULT_PARAMS_INVALID');
    expect(missing.message).toMatch(/^fault pod-crashing: deployment: /);
    const misspelt = await codeOf(injectFault('configmap-key-missing', { configmap: 'settings', key: 'a', namespac: 'x' }, fake));
    expect(misspelt.code).toBe('FAULT_PARAMS_INVALID');
    expect(misspelt.message).toContain('namespac');
    const notAnObject = await codeOf(injectFault('coredns-scaled-to-zero', 'now', fake));
    expect(notAnObject.code).toBe('FAULT_PARAMS_INVALID');
    expect(calls).toEqual([]);
  });

  it('refuses a fault on a provider that cannot do it', async () => {
    const { calls, fake } = recording('kwok');
    for (const name of ['kubelet-stopped', 'kubelet-misconfigured', 'containerd-stopped', 'cni-config-removed', 'kubelet-wrong-apiserver']) {
      const error = await codeOf(injectFault(name, { node: 'node01' }, fake));
      expect(error.code).toBe('FAULT_UNSUPPORTED');
      expect(error.message).toBe(`fault ${name} cannot be injected on kwok; it needs kind`);
    }
    for (const name of ['coredns-broken', 'kube-proxy-broken']) {
      expect((await codeOf(injectFault(name, {}, fake))).message).toBe(`fault ${name} cannot be injected on kwok; it needs kind`);
    }
    expect((await codeOf(injectFault('static-pod-broken', { component: 'kube-scheduler' }, fake))).code).toBe('FAULT_UNSUPPORTED');
    expect((await codeOf(repairFault('configmap-key-missing', { configmap: 'c', key: 'k' }, fake))).message).toMatch(/cannot be repaired on kwok; the removed value is gone/);
    expect(calls).toEqual([]);
  });

  it('refuses a node fault on a kind cluster without node access, and a node the cluster lacks', async () => {
    const { calls, fake } = recording('kind');
    const missing = await codeOf(injectFault('kubelet-stopped', { node: 'node01' }, fake));
    expect(missing.code).toBe('FAULT_INJECT_FAILED');
    expect(missing.message).toContain('needs a shell on the nodes');
    const exec = async () => ({ exitCode: 0, stdout: '', stderr: '' });
    const unknown = await codeOf(injectFault('kubelet-stopped', { node: 'node09' }, { ...fake, nodes: { exec } }));
    expect(unknown.message).toContain('has no node named node09');
    expect(calls).toEqual([]);
  });

  it('reports a target that does not exist as FAULT_INJECT_FAILED', async () => {
    const error = await codeOf(injectFault('deployment-bad-image', { namespace: 'default', deployment: 'ghost' }, target));
    expect(error.code).toBe('FAULT_INJECT_FAILED');
    expect(error.message).toMatch(/^fault deployment-bad-image could not be injected: .*ghost.*not found/s);
  });
});
