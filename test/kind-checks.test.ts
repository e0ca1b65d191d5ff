import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient } from '../graders/kube.ts';
import { ProbeFailed, probeLabel, runProbePod } from '../graders/probe-pod.ts';
import { runChecks } from '../graders/runner.ts';
import { ensureAssets } from '../server/assets/install.ts';
import { probeImage } from '../server/clusters/images.ts';
import { openKindProvider, type KindProvider } from '../server/clusters/kind/provider.ts';
import type { NodeAccess } from '../server/clusters/node-access.ts';
import type { ClusterInfo } from '../server/clusters/provider.ts';
import { loadConfig } from '../server/config.ts';
import { kubectl } from '../server/exec/kubectl.ts';
import { silentProgress } from '../server/progress.ts';
import { until } from './support/until.ts';
import { skipKindTests } from './support/kind.ts';

/** A web server (busybox httpd) behind Service `web`, a Service with no endpoints, a chatty Pod and a crashing one. */
const manifests = `
apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: httpd
        image: ${probeImage}
        command: [sh, -c, 'mkdir -p /tmp/www && echo ok > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www']
        ports: [{ containerPort: 8080 }]
        readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: v1
kind: Service
metadata: { name: nobody-home, namespace: shop }
spec: { selector: { app: none }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: talker, namespace: shop, labels: { app: talker } }
spec:
  containers:
  - { name: main, image: ${probeImage}, command: [sh, -c, 'echo "hello from talker"; echo "ready to serve"; exec sleep 3600'] }
  - { name: sidecar, image: ${probeImage}, command: [sh, -c, 'echo "sidecar says hi"; exec sleep 3600'] }
---
apiVersion: v1
kind: Pod
metadata: { name: crasher, namespace: shop }
spec:
  containers:
  - { name: main, image: ${probeImage}, command: [sh, -c, 'echo "fatal: config missing at $(date +%s)"; exit 3'] }
`;

/** An address that only times out: every node drops what is sent to it (this host's own network answers anything). */
const blackhole = '198.51.100.7';

describe.skipIf(skipKindTests)('pod.logs and network checks on kind', () => {
  const name = `kx-kind-checks-${process.pid}`;
  let dataDir: string;
  let provider: KindProvider;
  let info: ClusterInfo;
  let kube: KubeClient;
  let nodes: NodeAccess;
  let k: (args: string[], input?: string) => Promise<unknown>;

  /** One check through the runner: graded once, or polled for up to `pollSeconds` as a lab's grading does. */
  async function grade(check: string, args: Record<string, unknown>, pollSeconds = 0) {
    const [result] = await runChecks([{ id: 'c', points: 1, check, with: args, requires: [], timeoutSeconds: pollSeconds }], { kube, params: {} }, { deadline: Date.now() + 120_000 });
    return result;
  }

  async function probePods(): Promise<string[]> {
    const all = await Promise.all(['shop', 'default'].map((ns) => kube.list('v1', 'Pod', ns, probeLabel)));
    return all.flat().map((p) => p.metadata?.name ?? '');
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kubexam-kind-checks-'));
    const config = loadConfig(process.env, { dataDir });
    provider = await openKindProvider(config, silentProgress);
    const assets = await ensureAssets({ config, sets: ['kwok', 'kind'], progress: silentProgress });
    info = await provider.create({ name, controlPlanes: 1, workers: 1 }, silentProgress);
    kube = new KubeClient(info.kubeconfig);
    nodes = await provider.nodeAccess(name);
    k = (args: string[], input?: string) => kubectl(assets['kubectl'] as string, info.kubeconfig, args, input === undefined ? {} : { input });
    await k(['apply', '-f', '-'], manifests);
    await k(['-n', 'shop', 'rollout', 'status', 'deployment/web', '--timeout=120s'], undefined);
    await k(['-n', 'shop', 'wait', '--for=condition=Ready', 'pod/talker', '--timeout=120s'], undefined);
    for (const node of ['controlplane', 'node01']) {
      const drop = await nodes.exec(node, `iptables -I FORWARD -d ${blackhole} -j DROP && iptables -I OUTPUT -d ${blackhole} -j DROP`);
      expect(drop.exitCode, drop.stderr).toBe(0);
    }
  }, 1_800_000);

  afterAll(async () => {
    for (const c of (await provider?.list()) ?? []) await provider.delete(c.name).catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('pod.logs passes on a matching line of a real container log and fails with the log tail otherwise', async () => {
    expect(await grade('pod.logs', { namespace: 'shop', name: 'talker', matches: '^hello from talker$' })).toMatchObject({ status: 'pass' });
    expect(await grade('pod.logs', { namespace: 'shop', selector: 'app=talker', container: 'sidecar', matches: 'says hi' })).toMatchObject({ status: 'pass' });
    // Only the named container is read: main's line is not in sidecar's log.
    expect(await grade('pod.logs', { namespace: 'shop', name: 'talker', container: 'sidecar', matches: 'hello from talker' })).toMatchObject({
      status: 'fail',
      path: 'logs',
      actual: 'sidecar says hi',
    });
    expect(await grade('pod.logs', { namespace: 'shop', name: 'talker', matches: 'goodbye' })).toMatchObject({ status: 'fail', expected: '/goodbye/' });
    expect(await grade('pod.logs', { namespace: 'shop', name: 'talker', container: 'nope', matches: 'x' })).toMatchObject({ status: 'fail', message: expect.stringContaining('has no container nope') });
    expect(await grade('pod.logs', { namespace: 'shop', name: 'ghost', matches: 'x' })).toMatchObject({ status: 'fail', actual: 'not found' });
    expect(await grade('pod.logs', { namespace: 'shop', selector: 'app=ghost', matches: 'x' })).toMatchObject({ status: 'fail', path: 'selector' });
  });

  it('pod.logs with previous reads the crashed instance, and fails where there was none', async () => {
    const restarted = (pod: Awaited<ReturnType<KubeClient['get']>>) =>
      ((pod['status'] as { containerStatuses?: { restartCount: number }[] } | undefined)?.containerStatuses?.[0]?.restartCount ?? 0) >= 1;
    await until('crasher restarted', () => kube.get({ apiVersion: 'v1', kind: 'Pod', name: 'crasher', namespace: 'shop' }), restarted, 120_000);
    const previous = await grade('pod.logs', { namespace: 'shop', name: 'crasher', previous: true, matches: '^fatal: config missing at \\d+$' }, 30);
    expect(previous, JSON.stringify(previous)).toMatchObject({ status: 'pass' });
    expect(await grade('pod.logs', { namespace: 'shop', name: 'talker', container: 'main', previous: true, matches: 'hello' })).toMatchObject({
      status: 'fail',
      path: 'previous',
      message: expect.stringContaining('previous terminated container'),
    });
  });

  it('network.reachable passes to a Service backed by a real server; network.blocked fails there', async () => {
    const web = { from: { namespace: 'default', labels: { app: 'client' } }, to: { host: 'web.shop.svc.cluster.local', port: 80 } };
    expect(await grade('network.reachable', web)).toMatchObject({ status: 'pass' });
    expect(await grade('network.blocked', web)).toMatchObject({ status: 'fail', path: 'to', expected: 'blocked', actual: 'connected' });
    // A short name resolves in the probe's own namespace, as from any Pod there.
    expect(await grade('network.reachable', { from: { namespace: 'shop' }, to: { host: 'web', port: 80 } })).toMatchObject({ status: 'pass' });
  });

  it('network.blocked passes on a refused port, a dropped address and an unknown name; network.reachable fails on each', async () => {
    const refused = { from: { namespace: 'default' }, to: { host: 'nobody-home.shop', port: 80 } };
    const dropped = { from: { namespace: 'default' }, to: { host: blackhole, port: 80 }, timeoutSeconds: 2 };
    const unknown = { from: { namespace: 'default' }, to: { host: 'no-such-service.shop.svc.cluster.local', port: 80 } };
    expect(await grade('network.blocked', refused)).toMatchObject({ status: 'pass', message: expect.stringContaining('was refused') });
    expect(await grade('network.reachable', refused)).toMatchObject({ status: 'fail', actual: 'refused' });
    const started = Date.now();
    expect(await grade('network.blocked', dropped)).toMatchObject({ status: 'pass', message: expect.stringContaining('timed out') });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(await grade('network.reachable', dropped)).toMatchObject({ status: 'fail', actual: 'timeout' });
    expect(await grade('network.blocked', unknown)).toMatchObject({ status: 'pass', message: expect.stringContaining('could not resolve') });
    expect(await grade('network.reachable', unknown)).toMatchObject({ status: 'fail', actual: 'no-such-host' });
  });

  it('a probe that cannot run is error, never pass: missing namespace, missing image', async () => {
    const missingNs = await grade('network.blocked', { from: { namespace: 'no-such-ns' }, to: { host: blackhole, port: 80 } });
    expect(missingNs).toMatchObject({ status: 'error', message: expect.stringContaining('namespace no-such-ns does not exist') });
    const noImage = runProbePod(kube, { namespace: 'default', labels: {}, image: 'busybox:0.0-not-loaded', command: ['true'], runSeconds: 5 });
    await expect(noImage).rejects.toBeInstanceOf(ProbeFailed);
    await expect(noImage).rejects.toThrow(/could not run: (ErrImagePull|ImagePullBackOff)/);
  });

  it('concurrent probes do not collide and leave no Pod behind', async () => {
    const web = { from: { namespace: 'shop', labels: { app: 'web' } }, to: { host: 'web', port: 80 } };
    const results = await Promise.all([1, 2, 3].map(() => grade('network.reachable', web)));
    expect(results.map((r) => r?.status)).toEqual(['pass', 'pass', 'pass']);
    await until('probe Pods deleted', probePods, (pods) => pods.length === 0, 30_000);
  });

  it('with NetworkPolicy enforced, network.blocked passes for a Pod the policy leaves out and network.reachable for the one it admits', async () => {
    await k(['-n', 'kube-system', 'rollout', 'status', 'daemonset/kube-network-policies', '--timeout=120s']);
    await k(['apply', '-f', '-'], `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-from-clients, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Ingress]
  ingress:
  - from: [{ podSelector: { matchLabels: { role: client } } }]
    ports: [{ protocol: TCP, port: 8080 }]
`);
    const from = (role: string) => ({ from: { namespace: 'shop', labels: { role } }, to: { host: 'web', port: 80 }, timeoutSeconds: 3 });
    // Polled as grading polls: the policy takes effect within seconds of being applied.
    const intruder = await grade('network.blocked', from('intruder'), 60);
    expect(intruder, JSON.stringify(intruder)).toMatchObject({ status: 'pass' });
    expect(await grade('network.reachable', from('client'))).toMatchObject({ status: 'pass' });
    expect(await grade('network.reachable', from('intruder'))).toMatchObject({ status: 'fail', expected: 'connected' });
    expect(await grade('network.blocked', from('client'))).toMatchObject({ status: 'fail', actual: 'connected' });
    await k(['-n', 'shop', 'delete', 'networkpolicy', 'web-from-clients']);
  });
});
