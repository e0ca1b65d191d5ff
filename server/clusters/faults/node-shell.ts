import { KubexamError } from '../../errors.ts';
import type { FaultTarget } from './types.ts';

/**
 * Runs `script` (sh, stopping at the first failing command) on `node` for fault `fault`;
 * returns its stdout. Refuses a cluster without node access and a node the cluster lacks,
 * before anything runs.
 */
export async function onNode(target: FaultTarget, fault: string, node: string, script: string): Promise<string> {
  if (!target.nodes) {
    throw new KubexamError(
      'FAULT_UNSUPPORTED',
      `fault ${fault} needs a shell on the nodes (the node-shell capability, provider kind); cluster ${target.cluster.name} (${target.cluster.provider}) has none`,
    );
  }
  const known = [...target.cluster.nodes.controlPlanes, ...target.cluster.nodes.workers];
  if (!known.includes(node)) {
    throw new KubexamError('FAULT_TARGET_INVALID', `fault ${fault}: cluster ${target.cluster.name} has no node named ${node}; its nodes are ${known.join(', ')}`);
  }
  const result = await target.nodes.exec(node, `set -e\n${script}`);
  if (result.exitCode !== 0) {
    const tail = (result.stderr || result.stdout).split('\n').slice(-10).join('\n').trim();
    throw new KubexamError('FAULT_NODE_COMMAND_FAILED', `fault ${fault}: on node ${node}, exited with ${result.exitCode}: ${tail}`);
  }
  return result.stdout;
}

/** The first control-plane node: where the static pods of a kubeadm cluster live. */
export function controlPlaneNode(target: FaultTarget, fault: string): string {
  const node = target.cluster.nodes.controlPlanes[0];
  if (!node) throw new KubexamError('FAULT_TARGET_INVALID', `fault ${fault}: cluster ${target.cluster.name} has no control-plane node`);
  return node;
}
