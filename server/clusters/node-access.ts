import { KubexamError } from '../errors.ts';
import { docker } from '../exec/docker.ts';

export interface NodeExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * A shell on a cluster's nodes by exam name (`controlplane`, `node01`), for graders and lab
 * steps that look at what only the node has: kubelet, static pods, files under /etc.
 */
export interface NodeAccess {
  /** Runs `command` with `sh -c` on `node`; a non-zero exit is a result, not an error. */
  exec(node: string, command: string, options?: { timeoutMs?: number }): Promise<NodeExecResult>;
}

const defaultTimeoutMs = 60_000;

/** Node access for kind: `docker exec` into the node's container. */
export class KindNodeAccess implements NodeAccess {
  private readonly cluster: string;
  private readonly containers: Readonly<Record<string, string>>;

  /** `containers` maps exam node names to kind's container names (see `nodeContainers`). */
  constructor(cluster: string, containers: Readonly<Record<string, string>>) {
    this.cluster = cluster;
    this.containers = containers;
  }

  async exec(node: string, command: string, options: { timeoutMs?: number } = {}): Promise<NodeExecResult> {
    const container = Object.hasOwn(this.containers, node) ? this.containers[node] : undefined;
    if (!container) {
      throw new KubexamError('NODE_UNKNOWN', `cluster ${this.cluster} has no node named ${node}; its nodes are ${Object.keys(this.containers).join(', ')}`);
    }
    return docker(['exec', container, 'sh', '-c', command], { allowFailure: true, timeoutMs: options.timeoutMs ?? defaultTimeoutMs });
  }
}
