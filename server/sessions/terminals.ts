import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { KubexamError } from '../errors.ts';
import { startApiRelay, type ApiRelay } from '../terminal/api-relay.ts';
import { kubeconfigServer, sandboxAvailable, sandboxCommand, writeSandboxKubeconfig } from '../terminal/sandbox.ts';
import { TerminalSession, type TerminalCommand } from '../terminal/terminal-session.ts';
import type { SessionManager } from './manager.ts';
import { newId } from './tokens.ts';

/** The workstation tab; every other tab is a node's name. */
export const workstation = 'shell';

/** Inside the sandbox, kubectl finds the API server here (through the relay). */
const sandboxApiPort = 6443;

const bashrc = `# kubexam candidate shell
alias k=kubectl
source <(kubectl completion bash) 2>/dev/null
complete -o default -F __start_kubectl k
export EDITOR=vi
PS1='candidate@\\h:\\w$ '
`;

/**
 * The candidates' shells, one per session and terminal tab, kept across reconnects; every
 * shell is recorded for instructor replay. The workstation tab (`shell`) runs in a bubblewrap
 * sandbox with its own network namespace, whose only way out is a relay to its own cluster's
 * API server. A node tab (`controlplane`, `node01`, on kind) is a root login shell on that node
 * of the session's own cluster, spawned by the server (`docker exec -it`), like `ssh node01`.
 */
export class TerminalRegistry {
  private readonly shells = new Map<string, TerminalSession>();
  private readonly relays = new Map<string, ApiRelay>();
  private readonly manager: SessionManager;
  private readonly config: Config;
  private readonly kubectl: string;
  private readonly recordingsDir: string;

  constructor(options: { manager: SessionManager; config: Config; kubectl: string; recordingsDir: string }) {
    this.manager = options.manager;
    this.config = options.config;
    this.kubectl = options.kubectl;
    this.recordingsDir = options.recordingsDir;
  }

  private sandboxChecked: Promise<boolean> | undefined;

  /** The shell of this session's `terminal` tab: the running one, or a new one. */
  async open(sessionId: string, terminal: string): Promise<TerminalSession> {
    // Two connections at once (a reload racing the old page) must share one new shell.
    const key = `${sessionId}/${terminal}`;
    const opening = this.opening.get(key);
    if (opening) return opening;
    const job = this.openShell(sessionId, terminal).finally(() => this.opening.delete(key));
    this.opening.set(key, job);
    return job;
  }

  private readonly opening = new Map<string, Promise<TerminalSession>>();

  private async openShell(sessionId: string, terminal: string): Promise<TerminalSession> {
    const key = `${sessionId}/${terminal}`;
    const existing = this.shells.get(key);
    if (existing && !existing.hasExited) return existing;
    const row = this.manager.get(sessionId);
    if (row.state !== 'running') throw new KubexamError('SESSION_STATE', `session is ${row.state}; terminals open while it runs`);
    const terminals = await this.manager.terminals(row);
    if (!terminals.includes(terminal)) throw new KubexamError('TERMINAL_NOT_FOUND', `no terminal "${terminal}"; this session has ${terminals.join(', ')}`);
    const command = terminal === workstation ? await this.workstationCommand(sessionId) : await this.nodeCommand(sessionId, terminal);
    await mkdir(this.recordingsDir, { recursive: true, mode: 0o700 });
    const recordingId = newId();
    const file = `${sessionId}-${terminal}-${recordingId}.cast`;
    const shell = new TerminalSession({ command, recording: { path: join(this.recordingsDir, file), title: `${row.candidate}: ${row.title} (${terminal})` } });
    this.manager.store.addRecording({ id: recordingId, sessionId, terminal, file, startedAt: new Date().toISOString() });
    this.manager.store.addEvent(sessionId, 'connect', `terminal ${terminal} opened`);
    shell.onExit((exit) => {
      this.manager.store.finishRecording(recordingId, exit.recordingBytes);
      if (this.shells.get(key) === shell) this.shells.delete(key);
    });
    this.shells.set(key, shell);
    return shell;
  }

  /** A root shell on `node` of the session's own cluster. */
  private async nodeCommand(sessionId: string, node: string): Promise<TerminalCommand> {
    const access = await this.manager.nodeAccess(this.manager.get(sessionId));
    if (!access?.interactiveShell) throw new KubexamError('TERMINAL_NOT_FOUND', `session ${sessionId} has no shell on node ${node}`);
    return access.interactiveShell(node);
  }

  /** The candidate's workstation: kubectl in the sandbox, reaching only its own API server. */
  private async workstationCommand(sessionId: string): Promise<TerminalCommand> {
    // A candidate's shell never runs unconfined on the server host.
    this.sandboxChecked ??= sandboxAvailable();
    if (!(await this.sandboxChecked)) {
      throw new KubexamError('SANDBOX_UNAVAILABLE', 'bubblewrap is not installed or cannot create namespaces here; install it (apt-get install bubblewrap) to give candidates a terminal');
    }
    const cluster = await this.manager.cluster(this.manager.get(sessionId));
    if (!cluster) throw new KubexamError('CLUSTER_NOT_FOUND', `the cluster of session ${sessionId} is gone`);

    const dir = join(this.config.dataDir, 'sessions', sessionId);
    const home = this.manager.homeDir(sessionId);
    await mkdir(join(home, '.kube'), { recursive: true, mode: 0o700 });
    await writeFile(join(home, '.bashrc'), bashrc, { flag: 'wx' }).catch(() => undefined);
    const kubeconfig = join(dir, 'sandbox-kubeconfig');
    await writeSandboxKubeconfig({ kubectl: this.kubectl, source: cluster.kubeconfig, dest: kubeconfig, server: `https://127.0.0.1:${sandboxApiPort}` });
    const socket = join(dir, 'api.sock');
    if (!this.relays.has(sessionId)) this.relays.set(sessionId, await startApiRelay(socket, await kubeconfigServer(this.kubectl, cluster.kubeconfig)));

    return sandboxCommand({
      kubeconfig,
      kubectl: this.kubectl,
      home,
      hide: [this.config.dataDir, this.config.cacheDir],
      apiRelay: { socket, port: sandboxApiPort },
    });
  }

  /** Ends a session's shells and relay (when it is submitted or closed). */
  async closeSession(sessionId: string): Promise<void> {
    for (const [key, shell] of this.shells) if (key.startsWith(`${sessionId}/`)) shell.kill();
    await this.relays.get(sessionId)?.close();
    this.relays.delete(sessionId);
  }

  async closeAll(): Promise<void> {
    for (const shell of this.shells.values()) shell.kill();
    for (const relay of this.relays.values()) await relay.close();
    this.relays.clear();
  }
}
