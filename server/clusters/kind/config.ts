import type { NodeNames } from '../../labs/params.ts';

/**
 * The kind cluster config for exam-named nodes. kind names its containers `<cluster>-control-plane`,
 * `<cluster>-worker`, `<cluster>-worker2`, ... and kubeadm would name the Kubernetes nodes after
 * those hostnames; a per-node kubeadm patch sets `nodeRegistration.name` to the exam's name instead.
 * No default CNI: the offline node image brings its own (`kubexam-cni.service`), kindnetd cannot be pulled.
 */
export function kindClusterConfig(nodes: NodeNames): string {
  const node = (role: 'control-plane' | 'worker', kubeadmKind: string, name: string) =>
    [
      `- role: ${role}`,
      '  kubeadmConfigPatches:',
      '  - |',
      `    kind: ${kubeadmKind}`,
      '    nodeRegistration:',
      `      name: ${name}`,
    ].join('\n');
  const [first, ...others] = nodes.controlPlanes;
  const lines = [
    'kind: Cluster',
    'apiVersion: kind.x-k8s.io/v1alpha4',
    'networking:',
    '  disableDefaultCNI: true',
    'nodes:',
    ...(first ? [node('control-plane', 'InitConfiguration', first)] : []),
    ...others.map((name) => node('control-plane', 'JoinConfiguration', name)),
    ...nodes.workers.map((name) => node('worker', 'JoinConfiguration', name)),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The Docker container of each exam node, in kind's naming order (control planes first, then
 * workers, numbered from the second on), e.g. `{ controlplane: 'exam-control-plane', node01: 'exam-worker' }`.
 */
export function nodeContainers(cluster: string, nodes: NodeNames): Record<string, string> {
  const numbered = (role: string, i: number) => `${cluster}-${role}${i === 0 ? '' : String(i + 1)}`;
  return Object.fromEntries([
    ...nodes.controlPlanes.map((name, i) => [name, numbered('control-plane', i)] as const),
    ...nodes.workers.map((name, i) => [name, numbered('worker', i)] as const),
  ]);
}
