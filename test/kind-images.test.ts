import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAssets } from '../server/assets/install.ts';
import { probeImage } from '../server/clusters/images.ts';
import { openKindProvider, type KindProvider } from '../server/clusters/kind/provider.ts';
import type { NodeAccess } from '../server/clusters/node-access.ts';
import type { ClusterInfo } from '../server/clusters/provider.ts';
import { loadConfig } from '../server/config.ts';
import { kubectl } from '../server/exec/kubectl.ts';
import type { RunOptions } from '../server/exec/run.ts';
import { silentProgress } from '../server/progress.ts';
import { until } from './support/until.ts';
import { skipKindTests } from './support/kind.ts';

/** A pod running `script` in busybox, optionally with labels, a volume claim or a restart policy. */
function busyboxPod(name: string, script: string, extra: { labels?: Record<string, string>; claim?: string; once?: boolean; namespace?: string } = {}): string {
  const labels = Object.entries(extra.labels ?? {}).map(([k, v]) => `    ${k}: ${v}`);
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${extra.namespace ?? 'default'}`,
    ...(labels.length > 0 ? ['  labels:', ...labels] : []),
    'spec:',
    `  restartPolicy: ${extra.once ? 'Never' : 'Always'}`,
    '  terminationGracePeriodSeconds: 1',
    '  containers:',
    '  - name: main',
    `    image: ${probeImage}`,
    `    command: ["sh", "-c", ${JSON.stringify(script)}]`,
    ...(extra.claim ? ['    volumeMounts:', '    - name: data', '      mountPath: /data', '  volumes:', '  - name: data', '    persistentVolumeClaim:', `      claimName: ${extra.claim}`] : []),
    '',
  ].join('\n');
}

describe.skipIf(skipKindTests)('kind: baked-in images, etcd tools, local-path storage, NetworkPolicy', () => {
  const name = `kx-kind-images-${process.pid}`;
  let dataDir: string;
  let provider: KindProvider;
  let kubectlBinary: string;
  let info: ClusterInfo;
  let nodes: NodeAccess;

  const k = (args: readonly string[], options: RunOptions = {}) => kubectl(kubectlBinary, info.kubeconfig, args, { timeoutMs: 120_000, ...options });
  const apply = (yaml: string) => k(['apply', '-f', '-'], { input: yaml });
  const ready = (pod: string, namespace = 'default') => k(['-n', namespace, 'wait', '--for=condition=Ready', `pod/${pod}`, '--timeout=120s'], { timeoutMs: 130_000 });
  const succeeded = (pod: string) => k(['wait', '--for=jsonpath={.status.phase}=Succeeded', `pod/${pod}`, '--timeout=180s'], { timeoutMs: 190_000 });
  const podIP = async (pod: string, namespace = 'default') => (await k(['-n', namespace, 'get', 'pod', pod, '-o', 'jsonpath={.status.podIP}'])).stdout;
  /** Exit code of `script` run by `sh` in a pod. */
  const inPod = (pod: string, script: string, namespace = 'default') => k(['-n', namespace, 'exec', pod, '--', 'sh', '-c', script], { allowFailure: true });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kubexam-kind-images-'));
    const config = loadConfig(process.env, { dataDir });
    provider = await openKindProvider(config, silentProgress);
    kubectlBinary = (await ensureAssets({ config, sets: ['kwok'], progress: silentProgress }))['kubectl'] as string;
    info = await provider.create({ name, controlPlanes: 1, workers: 1 }, silentProgress);
    nodes = await provider.nodeAccess(name);
  }, 1_800_000);

  afterAll(async () => {
    for (const c of (await provider?.list()) ?? []) await provider.delete(c.name).catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('busybox:1.35 is on every node without a pull and runs sh -c and nc', async () => {
    for (const node of ['controlplane', 'node01']) {
      const listed = await nodes.exec(node, 'ctr -n k8s.io images list -q');
      expect(listed.stdout.split('\n')).toEqual(expect.arrayContaining(['docker.io/library/busybox:1.35', 'docker.io/library/nginx:1.22']));
    }
    await apply(busyboxPod('listener', 'nc -l -p 7000; sleep 3600'));
    await apply(busyboxPod('shell', 'echo "$(busybox | head -1)"; sleep 3600'));
    await ready('listener');
    await ready('shell');
    expect((await k(['logs', 'shell'])).stdout).toMatch(/^BusyBox v1\.35\.0 \(Debian 1:1\.35\.0/);
    const events = (await k(['get', 'events', '--field-selector', 'involvedObject.name=shell', '-o', 'jsonpath={.items[*].message}'])).stdout;
    expect(events).toContain('already present on machine');
    const ip = await podIP('listener');
    expect(await inPod('shell', `echo ping-over-nc | nc -w 3 ${ip} 7000`)).toMatchObject({ exitCode: 0 });
    await until('nc listener received the line', async () => (await k(['logs', 'listener'])).stdout, (out) => out.includes('ping-over-nc'));
  });

  it('nginx:1.22 serves its welcome page through a Service and logs the request to stdout', async () => {
    await apply(`apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: nginx
    image: nginx:1.22
    ports: [{containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
`);
    await ready('web');
    const page = await until('the nginx page through the Service', () => inPod('shell', 'timeout 5 wget -qO- http://web.default.svc.cluster.local/'), (r) => r.exitCode === 0);
    expect(page.stdout).toContain('<title>Welcome to nginx!</title>');
    const logs = await until('the access log line', async () => (await k(['logs', 'web'])).stdout, (out) => /"GET \/ HTTP\/1\.1" 200 \d+ "-" "Wget"/.test(out));
    expect(logs).toMatch(/^\d+\.\d+\.\d+\.\d+ - - \[/m);
  });

  it('etcdctl snapshot save on controlplane with the etcd certs, etcdutl snapshot status reads it', async () => {
    expect((await nodes.exec('node01', 'etcdctl version; etcdutl version')).stdout).toMatch(/etcdctl version: 3\.6\.5[\s\S]*etcdutl version: 3\.6\.5/);
    const pki = '/etc/kubernetes/pki/etcd';
    const save = await nodes.exec(
      'controlplane',
      `ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert=${pki}/ca.crt --cert=${pki}/server.crt --key=${pki}/server.key snapshot save /tmp/kx-snapshot.db`,
      { timeoutMs: 60_000 },
    );
    expect(save).toMatchObject({ exitCode: 0 });
    expect(`${save.stdout}\n${save.stderr}`).toContain('Snapshot saved at /tmp/kx-snapshot.db');
    const status = await nodes.exec('controlplane', 'etcdutl snapshot status /tmp/kx-snapshot.db -w json');
    expect(status.exitCode).toBe(0);
    const parsed = JSON.parse(status.stdout) as { revision: number; totalKey: number; totalSize: number };
    // A live cluster's keyspace: hundreds of keys (every object of a fresh cluster), not an empty file.
    expect(parsed.totalKey).toBeGreaterThan(100);
    expect(parsed.revision).toBeGreaterThan(100);
  });

  it('a PVC on the default class standard binds to a node directory; one pod writes, another reads', async () => {
    const sc = JSON.parse((await k(['get', 'storageclass', 'standard', '-o', 'json'])).stdout) as {
      provisioner: string;
      volumeBindingMode: string;
      metadata: { annotations: Record<string, string> };
    };
    expect(sc).toMatchObject({ provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' });
    expect(sc.metadata.annotations['storageclass.kubernetes.io/is-default-class']).toBe('true');
    await apply(`apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 64Mi}}
`);
    // WaitForFirstConsumer: no volume before a pod uses the claim.
    expect((await k(['get', 'pvc', 'data', '-o', 'jsonpath={.status.phase}'])).stdout).toBe('Pending');
    const token = `kubexam-${process.pid}-${Date.now()}`;
    await apply(busyboxPod('writer', `echo ${token} > /data/note`, { claim: 'data', once: true }));
    await succeeded('writer');
    expect((await k(['get', 'pvc', 'data', '-o', 'jsonpath={.status.phase}'])).stdout).toBe('Bound');
    const pv = (await k(['get', 'pvc', 'data', '-o', 'jsonpath={.spec.volumeName}'])).stdout;
    const path = (await k(['get', 'pv', pv, '-o', 'jsonpath={.spec.hostPath.path}{.spec.local.path}'])).stdout;
    expect(path).toMatch(/^\/var\/local-path-provisioner\/pvc-/);
    const node = (await k(['get', 'pod', 'writer', '-o', 'jsonpath={.spec.nodeName}'])).stdout;
    expect(await nodes.exec(node, `cat ${path}/note`)).toMatchObject({ exitCode: 0, stdout: token });
    await apply(busyboxPod('reader', 'cat /data/note', { claim: 'data', once: true }));
    await succeeded('reader');
    expect((await k(['logs', 'reader'])).stdout).toBe(token);
  });

  it('NetworkPolicy: default deny blocks pod-to-pod TCP, an allow rule lets the selected client through', async () => {
    await k(['-n', 'kube-system', 'rollout', 'status', 'daemonset/kube-network-policies', '--timeout=120s'], { timeoutMs: 130_000 });
    await k(['create', 'namespace', 'np']);
    await apply(busyboxPod('server', 'mkdir -p /www && echo np-ok > /www/index.html && httpd -f -p 8080 -h /www', { namespace: 'np', labels: { app: 'server' } }));
    await apply(busyboxPod('client', 'sleep 3600', { namespace: 'np', labels: { role: 'client' } }));
    await apply(busyboxPod('other', 'sleep 3600', { namespace: 'np', labels: { role: 'other' } }));
    for (const pod of ['server', 'client', 'other']) await ready(pod, 'np');
    const url = `http://${await podIP('server', 'np')}:8080/`;
    // `timeout`, not `wget -T`: Debian's static busybox 1.35 segfaults on -T.
    const fetchFrom = (pod: string) => inPod(pod, `timeout 3 wget -qO- ${url}`, 'np');
    expect(await fetchFrom('client')).toMatchObject({ exitCode: 0, stdout: 'np-ok' });
    expect(await fetchFrom('other')).toMatchObject({ exitCode: 0, stdout: 'np-ok' });

    await apply(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: np}
spec:
  podSelector: {}
  policyTypes: [Ingress]
`);
    await until('default deny blocks the client', () => fetchFrom('client'), (r) => r.exitCode !== 0, 60_000);
    expect((await fetchFrom('other')).exitCode).not.toBe(0);

    await apply(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-client, namespace: np}
spec:
  podSelector: {matchLabels: {app: server}}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {role: client}}}]
    ports: [{protocol: TCP, port: 8080}]
`);
    const allowed = await until('the allow rule lets the client through', () => fetchFrom('client'), (r) => r.exitCode === 0, 60_000);
    expect(allowed.stdout).toBe('np-ok');
    expect((await fetchFrom('other')).exitCode).not.toBe(0);

    await k(['-n', 'np', 'delete', 'networkpolicy', 'default-deny', 'allow-client']);
    await until('without policies the other pod gets through again', () => fetchFrom('other'), (r) => r.exitCode === 0, 60_000);
  });
});
