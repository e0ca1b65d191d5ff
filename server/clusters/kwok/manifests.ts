import { stringify } from 'yaml';
import { versions } from '../../assets/versions.ts';
import type { NodeNames } from '../../labs/params.ts';

/**
 * Objects a kwok cluster starts with so that it looks like the kubeadm cluster of the exam:
 * exam-named nodes (the control plane labelled and tainted like kubeadm's), and CoreDNS with
 * its kube-dns Service, whose pods kwok simulates.
 */
export function clusterManifests(nodes: NodeNames): string {
  const docs: unknown[] = [];
  nodes.controlPlanes.forEach((name, i) => docs.push(node(name, `172.30.0.${10 + i}`, true)));
  nodes.workers.forEach((name, i) => docs.push(node(name, `172.30.0.${20 + i}`, false)));
  docs.push(...coredns());
  return docs.map((d) => stringify(d)).join('---\n');
}

function node(name: string, ip: string, controlPlane: boolean) {
  const resources = { cpu: '2', memory: '4Gi', pods: '110', 'ephemeral-storage': '50Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      // kwok manages only nodes carrying this annotation.
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
      },
    },
    spec: controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {},
    status: {
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      allocatable: resources,
      capacity: resources,
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        kernelVersion: '6.1.0-kwok',
        containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: `v${versions.kubernetes}`,
        kubeProxyVersion: `v${versions.kubernetes}`,
      },
    },
  };
}

function coredns() {
  const labels = { 'k8s-app': 'kube-dns' };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coredns', namespace: 'kube-system', labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            priorityClassName: 'system-cluster-critical',
            tolerations: [
              { key: 'CriticalAddonsOnly', operator: 'Exists' },
              { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
            ],
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            containers: [
              {
                name: 'coredns',
                image: `registry.k8s.io/coredns/coredns:v${versions.coredns}`,
                args: ['-conf', '/etc/coredns/Corefile'],
                ports: [
                  { name: 'dns', containerPort: 53, protocol: 'UDP' },
                  { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                ],
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { ...labels, 'kubernetes.io/name': 'CoreDNS' } },
      spec: {
        selector: labels,
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        ],
      },
    },
  ];
}
