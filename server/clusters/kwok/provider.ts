import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AssetPaths } from '../../assets/install.ts';
import { KubexamError, describeError } from '../../errors.ts';
import { kubectl } from '../../exec/kubectl.ts';
import { kwokctl } from '../../exec/kwokctl.ts';
import type { Capability } from '../../labs/schema.ts';
import type { ProgressSink } from '../../progress.ts';
import { nodeNames, type ClusterInfo, type ClusterProvider, type ClusterSpec } from '../provider.ts';
import { ClusterRecords } from '../records.ts';
import { withHostLock } from '../host-lock.ts';
import { faultStagesYaml } from './fault-stages.ts';
import { clusterManifests } from './manifests.ts';

/**
 * kwokctl options for every cluster. Components listen on loopback only: etcd has no
 * authentication, and a candidate on the network must never reach another session's store.
 */
const kwokctlOptions = `apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  bindAddress: 127.0.0.1`;

/**
 * The embedded provider: `kwokctl --runtime binary` runs etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler and kwok as local processes from the pinned assets
 * (no Docker, no downloads); kwok simulates the nodes and their pods.
 */
export class KwokProvider implements ClusterProvider {
  readonly name = 'kwok' as const;
  /** The real API, controllers and scheduler; no kubelet, so no node shell, logs or traffic. */
  readonly capabilities: ReadonlySet<Capability> = new Set();
  private readonly assets: AssetPaths;
  private readonly records: ClusterRecords;
  private readonly workdir: string;

  constructor(assets: AssetPaths, dataDir: string) {
    this.assets = assets;
    this.records = new ClusterRecords(dataDir);
    this.workdir = join(dataDir, 'kwok');
  }

  async create(spec: ClusterSpec, progress: ProgressSink): Promise<ClusterInfo> {
    const scope = `cluster/${spec.name}`;
    if (await this.records.load(spec.name)) {
      throw new KubexamError('CLUSTER_EXISTS', `a cluster named ${spec.name} already exists; delete it first (kubexam cluster delete ${spec.name}) or pick another name`);
    }
    const started = Date.now();
    const dir = await this.records.prepare(spec.name);
    const kubeconfig = this.records.kubeconfigPath(spec.name);
    const nodes = nodeNames(spec.controlPlanes, spec.workers);
    const info: ClusterInfo = { name: spec.name, provider: 'kwok', kubeconfig, nodes, createdAt: new Date().toISOString() };
    await this.records.save(info);
    try {
      progress({ scope, message: 'starting etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok', state: 'start' });
      const configFile = join(dir, 'kwokctl.yaml');
      const upstreamStages = await readFile(this.asset('kwok-stages.yaml'), 'utf8');
      await writeFile(configFile, [kwokctlOptions, upstreamStages.trim(), faultStagesYaml()].join('\n---\n'));
      await withHostLock('kwok-create', () => this.startControlPlane(spec.name, kubeconfig, configFile));
      progress({ scope, message: `registering nodes ${[...nodes.controlPlanes, ...nodes.workers].join(', ')} and CoreDNS`, state: 'update' });
      await this.kubectl(kubeconfig, ['apply', '-f', '-'], clusterManifests(nodes));
      progress({ scope, message: 'waiting for every node to be Ready', state: 'update' });
      await this.kubectl(kubeconfig, ['wait', '--for=condition=Ready', 'node', '--all', '--timeout=90s']);
      await this.waitForDefaultServiceAccount(kubeconfig);
      await this.kubectl(kubeconfig, ['-n', 'kube-system', 'rollout', 'status', 'deployment/coredns', '--timeout=90s']);
      progress({ scope, message: `ready in ${((Date.now() - started) / 1000).toFixed(1)} s`, state: 'done' });
      return info;
    } catch (error) {
      progress({ scope, message: `creation failed: ${describeError(error)}`, state: 'fail' });
      await this.delete(spec.name).catch(() => undefined);
      throw error instanceof KubexamError ? error : new KubexamError('CLUSTER_CREATE_FAILED', `kwok cluster ${spec.name}: ${describeError(error)}`, { cause: error });
    }
  }

  async delete(name: string): Promise<void> {
    const existing = await kwokctl(this.asset('kwokctl'), this.workdir, ['get', 'clusters']);
    if (existing.stdout.split('\n').includes(name)) {
      await kwokctl(this.asset('kwokctl'), this.workdir, ['delete', 'cluster', '--name', name]);
    }
    await this.records.remove(name);
  }

  async list(): Promise<ClusterInfo[]> {
    return (await this.records.all()).filter((c) => c.provider === 'kwok');
  }

  async get(name: string): Promise<ClusterInfo | undefined> {
    const info = await this.records.load(name);
    return info?.provider === 'kwok' ? info : undefined;
  }

  private async startControlPlane(name: string, kubeconfig: string, configFile: string): Promise<void> {
    const args = [
      'create', 'cluster',
      '--name', name,
      '--runtime', 'binary',
      '--kubeconfig', kubeconfig,
      '--config', configFile,
      '--kube-apiserver-binary', this.asset('kube-apiserver'),
      '--kube-controller-manager-binary', this.asset('kube-controller-manager'),
      '--kube-scheduler-binary', this.asset('kube-scheduler'),
      '--etcd-binary', this.asset('etcd'),
      '--kwok-controller-binary', this.asset('kwok'),
      '--wait', '90s',
    ];
    await kwokctl(this.asset('kwokctl'), this.workdir, args, { env: { KWOK_KUBECTL_BINARY: this.asset('kubectl') } });
  }

  private async waitForDefaultServiceAccount(kubeconfig: string): Promise<void> {
    // Pods cannot be created in a namespace until its `default` ServiceAccount exists.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const result = await this.kubectl(kubeconfig, ['get', 'serviceaccount', 'default', '-n', 'default', '-o', 'name'], undefined, true);
      if (result.exitCode === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new KubexamError('CLUSTER_NOT_READY', 'the default ServiceAccount did not appear within 60 s');
  }

  private kubectl(kubeconfig: string, args: string[], input?: string, allowFailure = false) {
    return kubectl(this.asset('kubectl'), kubeconfig, args, { ...(input !== undefined ? { input } : {}), allowFailure });
  }

  private asset(name: string): string {
    const path = this.assets[name];
    if (!path) throw new KubexamError('ASSET_MISSING', `asset ${name} is not installed; run kubexam assets`);
    return path;
  }
}
