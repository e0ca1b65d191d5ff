import { KubexamError } from '../errors.ts';
import { docker, dockerExecInteractive } from '../exec/docker.ts';

export interface NodeExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** What a terminal spawns in its pty for a root login shell on a node. */
export interface NodeShellCommand {
  file: string;
  args: string[];
  /** The environment of the spawning program on the server (PATH, TERM). */
  env: Record<string, string>;
}

/**
 * A shell on a cluster's nodes by exam name (`controlplane`, `node01`), for graders and lab
 * steps that look at what only the node has: kubelet, static pods, files under /etc.
 */
export interface NodeAccess {
  /** Runs `command` with `sh -c` on `node`; a non-zero exit is a result, not an error. */
  exec(node: string, command: string, options?: { timeoutMs?: number }): Promise<NodeExecResult>;
  /**
   * The command of an interactive root shell on `node`, as `ssh node01` gives in the exam:
   * prompt `root@node01:~#`, HOME=/root, TERM from the terminal. Absent where nodes have no shell.
   */
  interactiveShell?(node: string, options?: { term?: string }): NodeShellCommand;
}

/**
 * The prompt is set by PROMPT_COMMAND, which bash runs after every profile and rc file: Debian's
 * /etc/bash.bashrc sets PS1 with `\h`, and a kind node's hostname is its container's name.
 */
function promptCommand(node: string): string {
  return String.raw`PS1='\u@${node}:\w\$ '`;
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

  /** The exam names of the cluster's nodes, control planes first. */
  get nodes(): string[] {
    return Object.keys(this.containers);
  }

  async exec(node: string, command: string, options: { timeoutMs?: number } = {}): Promise<NodeExecResult> {
    return docker(['exec', this.container(node), 'sh', '-c', command], { allowFailure: true, timeoutMs: options.timeoutMs ?? defaultTimeoutMs });
  }

  interactiveShell(node: string, options: { term?: string } = {}): NodeShellCommand {
    const term = options.term ?? 'xterm-256color';
    const { file, args } = dockerExecInteractive(this.container(node), ['bash', '-l'], {
      workdir: '/root',
      env: { TERM: term, HOME: '/root', PROMPT_COMMAND: promptCommand(node) },
    });
    // The docker CLI itself needs only PATH (to be found) and, if set, where the engine is.
    const hostEnv = Object.fromEntries(['PATH', 'DOCKER_HOST', 'DOCKER_CONFIG'].flatMap((k) => (process.env[k] ? [[k, process.env[k] as string]] : [])));
    return { file, args, env: { ...hostEnv, TERM: term } };
  }

  private container(node: string): string {
    const container = Object.hasOwn(this.containers, node) ? this.containers[node] : undefined;
    if (!container) {
      throw new KubexamError('NODE_UNKNOWN', `cluster ${this.cluster} has no node named ${node}; its nodes are ${Object.keys(this.containers).join(', ')}`);
    }
    return container;
  }
}
