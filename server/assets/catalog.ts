import { stagingVersion, versions } from './versions.ts';

/** How an asset is built from the Go module proxy when no verified release download is at hand. */
export type BuildRecipe =
  /** A command of k8s.io/kubernetes, built through a wrapper module that pins the staging repos. */
  | { kind: 'kubernetes'; pkg: string }
  /** A main package whose module has relative `replace`s: built through a wrapper module. */
  | {
      kind: 'wrapper';
      module: string;
      version: string;
      pkg: string;
      replaces: readonly string[];
      /**
       * go.sum lines of `module` itself, for a module the checksum database does not answer for
       * here. The build then trusts the module's own go.sum (inside the zip these lines verify)
       * for its dependencies.
       */
      sums?: readonly string[];
    }
  /** A plain `go install module/pkg@version`. */
  | { kind: 'install'; pkg: string; version: string; ldflags?: string }
  /** Data files of a module (from the module proxy), joined into one multi-document YAML file. */
  | { kind: 'module-files'; module: string; version: string; files: readonly string[] };

export interface AssetSpec {
  /** File name in the cache, and the command name. */
  name: string;
  /** Assets of one group share a version and a build. */
  group: 'kubernetes' | 'etcd' | 'kwok' | 'kind' | 'coredns' | 'local-path-provisioner' | 'kube-network-policies';
  version: string;
  /**
   * Arguments that make the binary print its version, and what that output must contain.
   * For a data file, the pattern is matched against its content instead; for a program with no
   * version flag, against `go version -m` (the module versions it was built from).
   */
  versionArgs: readonly string[] | 'data' | 'go-buildinfo';
  versionPattern: RegExp;
  /** Official release download with a published `.sha256`, relative to the release base URL. */
  releasePath?: string;
  build: BuildRecipe;
}

const k8s = versions.kubernetes;
const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';

function kubernetesCommand(name: string, versionArgs: readonly string[]): AssetSpec {
  return {
    name,
    group: 'kubernetes',
    version: k8s,
    versionArgs,
    versionPattern: new RegExp(`v${k8s.replaceAll('.', '\\.')}\\b`),
    releasePath: `v${k8s}/bin/linux/${arch}/${name}`,
    build: { kind: 'kubernetes', pkg: `k8s.io/kubernetes/cmd/${name}` },
  };
}

const etcdModules = ['go.etcd.io/etcd/api/v3', 'go.etcd.io/etcd/client/pkg/v3', 'go.etcd.io/etcd/client/v3', 'go.etcd.io/etcd/pkg/v3'];

function etcdTool(name: 'etcdctl' | 'etcdutl', replaces: readonly string[]): AssetSpec {
  return {
    name,
    group: 'etcd',
    version: versions.etcd,
    versionArgs: ['version'],
    versionPattern: new RegExp(`${name} version: ${versions.etcd.replaceAll('.', '\\.')}\\b`),
    build: { kind: 'wrapper', module: `go.etcd.io/etcd/${name}/v3`, version: `v${versions.etcd}`, pkg: `go.etcd.io/etcd/${name}/v3`, replaces },
  };
}

export const catalog: readonly AssetSpec[] = [
  kubernetesCommand('kube-apiserver', ['--version']),
  kubernetesCommand('kube-controller-manager', ['--version']),
  kubernetesCommand('kube-scheduler', ['--version']),
  kubernetesCommand('kubectl', ['version', '--client']),
  kubernetesCommand('kubelet', ['--version']),
  kubernetesCommand('kubeadm', ['version', '-o', 'short']),
  kubernetesCommand('kube-proxy', ['--version']),
  {
    name: 'etcd',
    group: 'etcd',
    version: versions.etcd,
    versionArgs: ['--version'],
    versionPattern: new RegExp(`etcd Version: ${versions.etcd.replaceAll('.', '\\.')}\\b`),
    build: {
      kind: 'wrapper',
      module: 'go.etcd.io/etcd/server/v3',
      version: `v${versions.etcd}`,
      pkg: 'go.etcd.io/etcd/server/v3',
      replaces: etcdModules,
    },
  },
  // The exam's control plane has etcdctl (snapshot save) and etcdutl (snapshot status, restore),
  // from the same etcd release as the server; both modules replace their siblings by path.
  etcdTool('etcdctl', etcdModules),
  etcdTool('etcdutl', etcdModules.concat('go.etcd.io/etcd/server/v3')),
  ...(['kwok', 'kwokctl'] as const).map(
    (name): AssetSpec => ({
      name,
      group: 'kwok',
      version: versions.kwok,
      versionArgs: ['--version'],
      versionPattern: new RegExp(`v${versions.kwok.replaceAll('.', '\\.')}\\b`),
      build: {
        kind: 'install',
        pkg: `sigs.k8s.io/kwok/cmd/${name}`,
        version: `v${versions.kwok}`,
        // kwokctl's default Kubernetes version must be ours, or it reaches for newer binaries.
        ldflags: `-X sigs.k8s.io/kwok/pkg/consts.KubeVersion=${k8s}`,
      },
    }),
  ),
  {
    // kwokctl drops its built-in node and pod lifecycle stages as soon as a config file brings
    // any Stage, and kubexam's fault stages must come with them; so the pinned kwok's own stage
    // files are installed as an asset, verbatim from its module.
    name: 'kwok-stages.yaml',
    group: 'kwok',
    version: versions.kwok,
    versionArgs: 'data',
    versionPattern: /name: node-initialize[\s\S]*name: pod-ready/,
    build: {
      kind: 'module-files',
      module: 'sigs.k8s.io/kwok',
      version: `v${versions.kwok}`,
      files: [
        'kustomize/stage/node/fast/node-initialize.yaml',
        'kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
        'kustomize/stage/node/chaos/node-not-ready.yaml',
        'kustomize/stage/pod/fast/pod-ready.yaml',
        'kustomize/stage/pod/fast/pod-complete.yaml',
        'kustomize/stage/pod/fast/pod-delete.yaml',
      ],
    },
  },
  {
    name: 'kind',
    group: 'kind',
    version: versions.kind,
    versionArgs: ['version'],
    versionPattern: new RegExp(`v${versions.kind.replaceAll('.', '\\.')}\\b`),
    build: { kind: 'install', pkg: 'sigs.k8s.io/kind', version: `v${versions.kind}` },
  },
  {
    // The default StorageClass's provisioner on kind (kind ships the same program in its node image).
    name: 'local-path-provisioner',
    group: 'local-path-provisioner',
    version: versions.localPathProvisioner,
    versionArgs: ['--version'],
    versionPattern: new RegExp(`version v${versions.localPathProvisioner.replaceAll('.', '\\.')}\\b`),
    build: {
      kind: 'install',
      pkg: 'github.com/rancher/local-path-provisioner',
      version: `v${versions.localPathProvisioner}`,
      ldflags: `-X main.VERSION=v${versions.localPathProvisioner}`,
    },
  },
  {
    // NetworkPolicy enforcement on kind: the engine kindnetd embeds since kind v0.24. No version
    // flag; `go version -m` names the module version. The checksum database has no record of it
    // (or of its network-policy-api pseudo-version) here, hence the pinned sums.
    name: 'kube-network-policies',
    group: 'kube-network-policies',
    version: versions.kubeNetworkPolicies,
    versionArgs: 'go-buildinfo',
    versionPattern: new RegExp(`sigs\\.k8s\\.io/kube-network-policies\\s+v${versions.kubeNetworkPolicies.replaceAll('.', '\\.')}\\s`),
    build: {
      kind: 'wrapper',
      module: 'sigs.k8s.io/kube-network-policies',
      version: `v${versions.kubeNetworkPolicies}`,
      pkg: 'sigs.k8s.io/kube-network-policies/cmd',
      replaces: [],
      sums: [
        'sigs.k8s.io/kube-network-policies v0.8.0 h1:dzecRNzdmg+VmHEQWTIjxnCgf412J+8CKHqbKgCiWkk=',
        'sigs.k8s.io/kube-network-policies v0.8.0/go.mod h1:QNAmb/exAiL032oNq0/QhfYl5H+jEFFDF0qVXpIOkeI=',
      ],
    },
  },
  {
    name: 'coredns',
    group: 'coredns',
    version: versions.coredns,
    versionArgs: ['-version'],
    versionPattern: new RegExp(`CoreDNS-${versions.coredns.replaceAll('.', '\\.')}\\b`),
    build: { kind: 'install', pkg: 'github.com/coredns/coredns', version: `v${versions.coredns}` },
  },
];

/** Named sets: what the embedded kwok provider needs, and what the kind provider adds. */
export const assetSets = {
  kwok: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'etcd', 'kwok', 'kwokctl', 'kwok-stages.yaml'],
  // crictl is not here: the Go module proxy does not serve sigs.k8s.io/cri-tools and Debian
  // bookworm does not package it (kubeadm 1.34 no longer needs it).
  kind: ['kubelet', 'kubeadm', 'kube-proxy', 'coredns', 'kind', 'etcdctl', 'etcdutl', 'local-path-provisioner', 'kube-network-policies'],
} as const satisfies Record<string, readonly string[]>;

export type AssetSetName = keyof typeof assetSets;

export function findAsset(name: string): AssetSpec | undefined {
  return catalog.find((a) => a.name === name);
}

export { stagingVersion };
