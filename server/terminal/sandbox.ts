import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { KubexamError } from '../errors.ts';
import { kubectl as runKubectl } from '../exec/kubectl.ts';
import { run } from '../exec/run.ts';

export interface SandboxSpec {
  /** Host path of a self-contained kubeconfig (see `writeSandboxKubeconfig`), bound read-only. */
  kubeconfig: string;
  /** Host path of the pinned kubectl binary. */
  kubectl: string;
  /** Host path of the candidate's scratch home, bound read-write. */
  home: string;
  /** Host paths the sandbox must never see (the kubexam data and cache dirs): tmpfs over each. */
  hide: string[];
  /** Shell inside the sandbox. @default /bin/bash, or /bin/sh where bash is missing */
  shell?: string;
  /** Hostname inside the sandbox, shown in the prompt. @default controlplane */
  hostname?: string;
  /** The bubblewrap binary. @default /usr/bin/bwrap */
  bwrap?: string;
  /**
   * Give the shell a network namespace of its own whose only way out is `socket` (a unix
   * socket served by `startApiRelay`), offered inside on 127.0.0.1:`port`. Without it the
   * shell shares the host's network, and with it every loopback service of the host.
   */
  apiRelay?: { socket: string; port: number };
}

/** The relay that runs inside an isolated sandbox, and the Node binary that runs it. */
const relayScript = fileURLToPath(new URL('./api-relay-inside.mjs', import.meta.url));
const RELAY_DIR = '/usr/local/lib/kubexam';

export interface SandboxCommand {
  file: string;
  /** Ends with the shell, so a caller may append the shell's own arguments (`-c script`). */
  args: string[];
  /** The whole environment for `file`: the server's own never reaches the sandbox. */
  env: Record<string, string>;
}

export const DEFAULT_BWRAP = '/usr/bin/bwrap';
export const SANDBOX_HOME = '/home/candidate';
const TMP_SIZE = 256 * 1024 * 1024;

/**
 * What the candidate's shell may see of the host's /etc. An allowlist rather than the whole
 * directory: /etc holds secrets (shadow, ssh host keys, service credentials) that a shell
 * running as the server's user could otherwise read. bash.bashrc is left out on purpose: on
 * Debian it overrides PS1 with `\u@\h`, which would show the server's user.
 */
const ETC_ALLOWLIST = [
  'alternatives', 'bash_completion', 'bash_completion.d', 'ca-certificates', 'ca-certificates.conf', 'debian_version',
  'environment', 'gai.conf', 'group', 'host.conf', 'hosts', 'inputrc', 'issue', 'ld.so.cache', 'ld.so.conf',
  'ld.so.conf.d', 'locale.alias', 'localtime', 'lsb-release', 'magic', 'mime.types', 'nanorc', 'networks',
  'nsswitch.conf', 'os-release', 'passwd', 'profile', 'protocols', 'resolv.conf', 'services', 'ssl/certs',
  'terminfo', 'timezone', 'vim', 'vimrc', 'xattr.conf',
];

/** Top-level directories that merged-/usr systems make symlinks into /usr. */
const ROOT_LINKS = ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'];

/**
 * Recreates /bin, /lib and friends as the host has them: symlinks into /usr on merged-/usr
 * systems, read-only binds otherwise. Returns the directories it bound.
 */
function rootLinks(args: string[]): string[] {
  const bound: string[] = [];
  for (const name of ROOT_LINKS) {
    const path = `/${name}`;
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) args.push('--symlink', readlinkSync(path), path);
    else if (stat?.isDirectory()) {
      args.push('--ro-bind', path, path);
      bound.push(path);
    }
  }
  return bound;
}

function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/**
 * The bubblewrap command line for a candidate's shell on the kwok provider. The shell gets its
 * own pid, ipc and uts namespaces (it sees no host process), a read-only /usr and a short
 * allowlist of /etc, its own /tmp, the pinned kubectl as /usr/local/bin/kubectl (the host's
 * /usr/local is hidden), the scratch home read-write at /home/candidate and the kubeconfig
 * read-only at ~/.kube/config. /root, /home, /var, /run (Docker's socket), /work and every
 * other host directory are simply absent; `hide` paths that would be visible are covered.
 *
 * With `apiRelay`, the shell has its own network namespace and reaches nothing but its own
 * API server (through the relay); without, it shares the host's network.
 * No `--new-session`: it would take the shell's controlling terminal, and with it Ctrl-C and
 * job control; the pty is the candidate's alone, so TIOCSTI cannot reach anyone else.
 *
 * @example
 * const cmd = sandboxCommand({ kubeconfig, kubectl, home, hide: [config.dataDir, config.cacheDir] });
 * const pty = spawn(cmd.file, cmd.args, { env: cmd.env, cols: 80, rows: 24 });
 */
export function sandboxCommand(spec: SandboxSpec): SandboxCommand {
  for (const [name, path] of [['kubeconfig', spec.kubeconfig], ['kubectl', spec.kubectl], ['home', spec.home]] as const) {
    if (!isAbsolute(path)) throw new KubexamError('SANDBOX_INVALID', `sandbox ${name} must be an absolute path, got ${path}`);
  }
  if (!existsSync('/usr/local')) {
    throw new KubexamError('SANDBOX_UNSUPPORTED', 'the host has no /usr/local, where the sandbox mounts kubectl');
  }
  const shell = spec.shell ?? (existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh');
  const hostname = spec.hostname ?? 'controlplane';
  const env: Record<string, string> = {
    HOME: SANDBOX_HOME,
    PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin',
    TERM: 'xterm-256color',
    KUBECONFIG: `${SANDBOX_HOME}/.kube/config`,
    PS1: 'candidate@\\h:\\w$ ',
    LANG: 'C.UTF-8',
    SHELL: shell,
  };

  const args = [
    '--die-with-parent',
    '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
    '--hostname', hostname,
    '--cap-drop', 'ALL',
    '--ro-bind', '/usr', '/usr',
    // Directories bwrap creates on its own are 0700; these should look like any system's.
    '--perms', '0755', '--dir', '/etc',
    '--perms', '0755', '--dir', '/home',
  ];
  const visible = ['/usr', ...rootLinks(args)];
  for (const entry of ETC_ALLOWLIST) {
    const path = `/etc/${entry}`;
    args.push('--ro-bind-try', path, path);
    visible.push(path);
  }
  args.push(
    '--symlink', '/proc/self/mounts', '/etc/mtab',
    '--proc', '/proc',
    '--dev', '/dev',
    '--size', String(TMP_SIZE), '--tmpfs', '/tmp',
    '--tmpfs', '/usr/local',
    '--ro-bind', spec.kubectl, '/usr/local/bin/kubectl',
    ...(spec.apiRelay
      ? ['--unshare-net', '--ro-bind', process.execPath, `${RELAY_DIR}/node`, '--ro-bind', relayScript, `${RELAY_DIR}/relay.mjs`, '--bind', spec.apiRelay.socket, `${RELAY_DIR}/api.sock`]
      : []),
    '--remount-ro', '/usr/local',
    '--bind', spec.home, SANDBOX_HOME,
    '--ro-bind', spec.kubeconfig, `${SANDBOX_HOME}/.kube/config`,
  );
  for (const hidden of spec.hide) {
    if (!isAbsolute(hidden)) throw new KubexamError('SANDBOX_INVALID', `sandbox hide paths must be absolute, got ${hidden}`);
    if (!existsSync(hidden)) continue;
    const real = realpathSync(hidden);
    // Anything outside the mounts above is already absent; only cover what would show.
    if (!visible.some((dir) => under(real, dir)) || under(real, '/usr/local')) continue;
    args.push('--tmpfs', real, '--remount-ro', real);
  }
  args.push('--remount-ro', '/', '--chdir', SANDBOX_HOME, '--clearenv');
  for (const [name, value] of Object.entries(env)) args.push('--setenv', name, value);
  if (spec.apiRelay) {
    // The relay starts first, in the background; the shell replaces the starter, so appended
    // arguments (`-c script`) still reach the shell as "$@".
    const starter = `${RELAY_DIR}/node ${RELAY_DIR}/relay.mjs ${spec.apiRelay.port} ${RELAY_DIR}/api.sock & exec "$0" "$@"`;
    args.push('--', '/bin/sh', '-c', starter, shell);
  } else {
    args.push('--', shell);
  }
  return { file: spec.bwrap ?? DEFAULT_BWRAP, args, env };
}

/**
 * Whether bubblewrap is installed and may create the namespaces the sandbox needs (it may not
 * in an unprivileged container, or where user namespaces are disabled).
 */
export async function sandboxAvailable(bwrap: string = DEFAULT_BWRAP): Promise<boolean> {
  if (!existsSync(bwrap)) return false;
  const args = ['--die-with-parent', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--cap-drop', 'ALL', '--ro-bind', '/usr', '/usr'];
  rootLinks(args);
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--remount-ro', '/', '--', '/bin/sh', '-c', 'exit 0');
  try {
    const result = await run(bwrap, args, 'BWRAP_FAILED', { allowFailure: true, timeoutMs: 10_000 });
    return result.exitCode === 0;
  } catch {
    return false;
  }
}

/**
 * Writes a kubeconfig for the sandbox: the cluster's own, minified to its current context and
 * with certificates inlined, because the original names files in the hidden data directory.
 * With `server`, the cluster's address is replaced (the sandbox's relay address).
 */
export async function writeSandboxKubeconfig(options: { kubectl: string; source: string; dest: string; server?: string }): Promise<void> {
  const result = await runKubectl(options.kubectl, resolve(options.source), ['config', 'view', '--flatten', '--minify']);
  const config = parse(result.stdout) as { clusters?: { cluster?: { server?: string } }[] };
  if (options.server) for (const entry of config.clusters ?? []) if (entry.cluster) entry.cluster.server = options.server;
  await writeFile(options.dest, stringify(config), { mode: 0o600 });
  await chmod(options.dest, 0o600);
}

/** Host and port of the API server a kubeconfig points at. */
export async function kubeconfigServer(kubectl: string, kubeconfig: string): Promise<{ host: string; port: number }> {
  const { stdout } = await runKubectl(kubectl, resolve(kubeconfig), ['config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}']);
  const url = new URL(stdout.trim());
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) };
}
