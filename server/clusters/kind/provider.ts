import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureAssets, type AssetPaths } from '../../assets/install.ts';
import type { Config } from '../../config.ts';
import { KubexamError, describeError } from '../../errors.ts';
import { docker, requireDocker } from '../../exec/docker.ts';
import { kind } from '../../exec/kind.ts';
import { kubectl } from '../../exec/kubectl.ts';
import type { Capability } from '../../labs/schema.ts';
import { ensureNodeImage } from '../../node-image/index.ts';
import type { ProgressSink } from '../../progress.ts';
import { nodeNames, type ClusterInfo, type ClusterProvider, type ClusterSpec } from '../provider.ts';
import { ClusterRecords } from '../records.ts';
import { KindNodeAccess, type NodeAccess } from '../node-access.ts';
import { kindClusterConfig, nodeContainers } from './config.ts';
import { ensureInotifyLimits } from './host-limits.ts';

/** The label kind puts on every node container; `docker ps --filter label=...=<name>` finds a cluster's nodes. */
export const kindClusterLabel = 'io.x-k8s.kind.cluster';

/**
 * Real nodes in Docker: `kind create cluster` with the offline node image (`kubexam node-image`),
 * nodes named like the exam's. Each cluster is recorded under the data dir (provider `kind`) with
 * its external kubeconfig (host -> 127.0.0.1:<port>) and an internal one (`kubeconfig.internal`,
 * for shells on the kind Docker network).
 */
export class KindProvider implements ClusterProvider {
  readonly name = 'kind' as const;
  /**
   * Real kubelets and containerd: shells on nodes, logs, exec. `storage-provisioner`: the node
   * image's local-path-provisioner backs the default StorageClass `standard`. `network-traffic`:
   * pod traffic is real and kube-network-policies enforces NetworkPolicy (see node-image/NOTES.md).
   */
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>([
    'node-shell',
    'container-runtime',
    'pod-logs',
    'pod-exec',
    'storage-provisioner',
    'network-traffic',
  ]);
  private readonly assets: AssetPaths;
  private readonly config: Config;
  private readonly records: ClusterRecords;

  constructor(assets: AssetPaths, config: Config) {
    this.assets = assets;
    this.config = config;
    this.records = new ClusterRecords(config.dataDir);
  }

  async create(spec: ClusterSpec, progress: ProgressSink): Promise<ClusterInfo> {
    const scope = `cluster/${spec.name}`;
    if (spec.controlPlanes < 1) throw new KubexamError('CLUSTER_SPEC_INVALID', 'a kind cluster needs at least one control plane');
    if (await this.records.load(spec.name)) {
      throw new KubexamError('CLUSTER_EXISTS', `a cluster named ${spec.name} already exists; delete it first (kubexam cluster delete ${spec.name}) or pick another name`);
    }
    await requireDockerForKind();
    if (await this.kindClusterExists(spec.name)) {
      throw new KubexamError('CLUSTER_EXISTS', `kind already has a cluster named ${spec.name} (not made by this kubexam data dir); pick another name or run: kind delete cluster --name ${spec.name}`);
    }
    const image = await this.ensureImage(progress);
    const started = Date.now();
    const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
    const dir = await this.records.prepare(spec.name);
    const kubeconfig = this.records.kubeconfigPath(spec.name);
    const nodes = nodeNames(spec.controlPlanes, spec.workers);
    const info: ClusterInfo = { name: spec.name, provider: 'kind', kubeconfig, nodes, createdAt: new Date().toISOString() };
    // Recorded before kind runs, so a crash mid-create still leaves something to reap.
    await this.records.save(info);
    try {
      const all = [...nodes.controlPlanes, ...nodes.workers];
      progress({ scope, message: `kind create cluster: ${all.join(', ')} from ${image}`, state: 'start' });
      const configFile = join(dir, 'kind.yaml');
      await writeFile(configFile, kindClusterConfig(nodes));
      await kind(this.asset('kind'), ['create', 'cluster', '--name', spec.name, '--image', image, '--config', configFile, '--kubeconfig', kubeconfig], {
        timeoutMs: 600_000,
      });
      await chmod(kubeconfig, 0o600);
      const internal = await kind(this.asset('kind'), ['get', 'kubeconfig', '--internal', '--name', spec.name]);
      await writeFile(this.internalKubeconfigPath(spec.name), `${internal.stdout}\n`, { mode: 0o600 });

      progress({ scope, message: `nodes up after ${seconds()} s; waiting for every node to be Ready`, state: 'update' });
      // kubeadm join can return before the joined kubelet has registered its Node (seen on a
      // loaded host): `wait --all` would then pass on the nodes there are so far.
      const names = await this.registeredNodes(kubeconfig, all.length);
      await this.kubectl(kubeconfig, ['wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=240s'], 260_000);
      if (names.join(',') !== [...all].sort().join(',')) {
        throw new KubexamError('CLUSTER_NODES_MISNAMED', `expected nodes ${all.join(', ')}, the cluster has ${names.join(', ')}`);
      }

      progress({ scope, message: `nodes Ready after ${seconds()} s; waiting for the kube-system pods`, state: 'update' });
      await this.waitForSystemPods(kubeconfig);
      await this.waitForDefaultServiceAccount(kubeconfig);
      progress({ scope, message: `ready in ${seconds()} s`, state: 'done' });
      return info;
    } catch (error) {
      progress({ scope, message: `creation failed: ${describeError(error)}`, state: 'fail' });
      await this.delete(spec.name).catch(() => undefined);
      throw error instanceof KubexamError ? error : new KubexamError('CLUSTER_CREATE_FAILED', `kind cluster ${spec.name}: ${describeError(error)}`, { cause: error });
    }
  }

  async delete(name: string): Promise<void> {
    // kind delete is idempotent: it removes whatever node containers carry the cluster's label.
    await kind(this.asset('kind'), ['delete', 'cluster', '--name', name, '--kubeconfig', this.records.kubeconfigPath(name)], { timeoutMs: 180_000 });
    await this.records.remove(name);
  }

  async list(): Promise<ClusterInfo[]> {
    return (await this.records.all()).filter((c) => c.provider === 'kind');
  }

  async get(name: string): Promise<ClusterInfo | undefined> {
    const info = await this.records.load(name);
    return info?.provider === 'kind' ? info : undefined;
  }

  /** Every kind cluster on the Docker engine, recorded or not (kind finds them by `kindClusterLabel`). */
  async orphans(): Promise<string[]> {
    const result = await kind(this.asset('kind'), ['get', 'clusters']);
    return result.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('No kind clusters'));
  }

  async nodeAccess(clusterName: string): Promise<NodeAccess> {
    const info = await this.get(clusterName);
    if (!info) throw new KubexamError('CLUSTER_NOT_FOUND', `no kind cluster named ${clusterName}`);
    return new KindNodeAccess(clusterName, nodeContainers(clusterName, info.nodes));
  }

  /** Kubeconfig whose server is `https://<name>-control-plane:6443`, for containers on the `kind` network. */
  internalKubeconfigPath(name: string): string {
    return join(this.records.dir(name), 'kubeconfig.internal');
  }

  /**
   * The offline node image, built when missing or stale (minutes; seconds when up to date). Here
   * and not when the provider opens, so that delete and list never wait for an image build.
   */
  private async ensureImage(progress: ProgressSink): Promise<string> {
    progress({ scope: 'node-image', message: 'checking the kind node image (built once, offline)', state: 'start' });
    const started = Date.now();
    const result = await ensureNodeImage(this.config, progress);
    const built = result.built.node ? `built in ${((Date.now() - started) / 1000).toFixed(1)} s` : 'up to date';
    progress({ scope: 'node-image', message: `${result.image} ${built}`, state: 'done' });
    return result.image;
  }

  private async kindClusterExists(name: string): Promise<boolean> {
    const result = await kind(this.asset('kind'), ['get', 'clusters']);
    return result.stdout.split('\n').includes(name);
  }

  /**
   * Every kube-system pod Ready. Pods appear in waves (kube-proxy per node, CoreDNS once the
   * network is up), so `kubectl wait --all` alone can pass before the last wave exists: require
   * CoreDNS rolled out and one kube-proxy per node too.
   */
  private async waitForSystemPods(kubeconfig: string): Promise<void> {
    // Generous: on two cores shared with other clusters (CI runs two test files at once), a
    // DaemonSet rollout was seen to take over 180 s; a healthy quiet cluster needs about 15.
    await this.kubectl(kubeconfig, ['-n', 'kube-system', 'rollout', 'status', 'daemonset/kube-proxy', '--timeout=360s'], 380_000);
    await this.kubectl(kubeconfig, ['-n', 'kube-system', 'rollout', 'status', 'deployment/coredns', '--timeout=360s'], 380_000);
    // The capabilities' add-ons: NetworkPolicy is only enforced once every node's engine runs
    // (kubexam-cni applies it on the control plane a few seconds after kubeadm), and kind
    // applies the local-path provisioner. Labs must not start before either.
    await this.waitForObject(kubeconfig, ['-n', 'kube-system', 'get', 'daemonset/kube-network-policies']);
    await this.kubectl(kubeconfig, ['-n', 'kube-system', 'rollout', 'status', 'daemonset/kube-network-policies', '--timeout=360s'], 380_000);
    await this.kubectl(kubeconfig, ['-n', 'local-path-storage', 'rollout', 'status', 'deployment/local-path-provisioner', '--timeout=360s'], 380_000);
    await this.kubectl(kubeconfig, ['-n', 'kube-system', 'wait', '--for=condition=Ready', 'pods', '--all', '--timeout=360s'], 380_000);
  }

  /** The names of the cluster's Nodes once there are `count` of them (or whatever there is after 120 s). */
  private async registeredNodes(kubeconfig: string, count: number): Promise<string[]> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const listed = await this.kubectl(kubeconfig, ['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}']);
      const names = listed.stdout.split(' ').filter((n) => n !== '').sort();
      if (names.length >= count || Date.now() >= deadline) return names;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  private async waitForDefaultServiceAccount(kubeconfig: string): Promise<void> {
    // Pods cannot be created in a namespace until its `default` ServiceAccount exists.
    await this.waitForObject(kubeconfig, ['get', 'serviceaccount', 'default', '-n', 'default', '-o', 'name']);
  }

  /** Polls `kubectl <args>` until it succeeds (the object exists), for objects made by others. */
  private async waitForObject(kubeconfig: string, args: string[]): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const result = await kubectl(this.asset('kubectl'), kubeconfig, args, { allowFailure: true });
      if (result.exitCode === 0) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new KubexamError('CLUSTER_NOT_READY', `kubectl ${args.join(' ')} did not find it within 60 s`);
  }

  private kubectl(kubeconfig: string, args: string[], timeoutMs = 60_000) {
    return kubectl(this.asset('kubectl'), kubeconfig, args, { timeoutMs });
  }

  private asset(name: string): string {
    const path = this.assets[name];
    if (!path) throw new KubexamError('ASSET_MISSING', `asset ${name} is not installed; run kubexam assets --set kwok kind`);
    return path;
  }
}

/** Docker must answer before anything kind does; without it, say so and name the provider that needs none. */
export async function requireDockerForKind(): Promise<void> {
  try {
    await requireDocker();
  } catch (error) {
    if (error instanceof KubexamError) {
      throw new KubexamError(error.code, `${error.message} For a cluster without Docker: kubexam cluster create NAME --provider kwok.`, { cause: error });
    }
    throw error;
  }
}

/**
 * The kind provider: Docker checked and the kwok and kind asset sets installed (skipped when
 * present, with progress when not). The node image is ensured by `create`.
 */
export async function openKindProvider(config: Config, progress: ProgressSink): Promise<KindProvider> {
  await requireDockerForKind();
  await ensureInotifyLimits(progress);
  const assets = await ensureAssets({ config, sets: ['kwok', 'kind'], progress });
  return new KindProvider(assets, config);
}

/** Node containers of a kind cluster, found by kind's label (for reaping and checks). */
export async function kindNodeContainers(name: string): Promise<string[]> {
  const result = await docker(['ps', '-a', '--filter', `label=${kindClusterLabel}=${name}`, '--format', '{{.Names}}']);
  return result.stdout.split('\n').filter((l) => l !== '').sort();
}
