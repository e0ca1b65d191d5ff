/**
 * Every pinned version kubexam uses, in one place. Kubernetes stays on 1.34.x: the machines we
 * test on are cgroup v1, which kubelet refuses from 1.35 on, and kind v0.30 ships 1.34 nodes.
 */
export const versions = {
  kubernetes: '1.34.4',
  /** The etcd kubeadm 1.34.4 deploys (`kubeadm config images list`: etcd:3.6.5-0), so kind images carry the same build. */
  etcd: '3.6.5',
  kwok: '0.8.0',
  kind: '0.30.0',
  coredns: '1.12.1',
  /** rancher's local-path-provisioner, kind's default storage; the one release the module proxy serves here. */
  localPathProvisioner: '0.0.30',
  /** NetworkPolicy enforcement on kind (what kindnetd embeds); the newest release the module proxy serves here. */
  kubeNetworkPolicies: '0.8.0',
  /** Oldest Go toolchain that builds all of the above from the module proxy. */
  minimumGo: '1.24.0',
} as const;

/** `v0.34.4` for Kubernetes `1.34.4`: the staging repositories' (k8s.io/api, ...) tag. */
export function stagingVersion(kubernetes: string): string {
  const [, minor, patch] = kubernetes.split('.');
  return `v0.${minor}.${patch}`;
}
