import { run, type RunOptions, type RunResult } from './run.ts';

/** A command inside a root filesystem being prepared (systemctl enable, ctr oci spec): no daemon, no network. */
export function chroot(root: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run('chroot', [root, ...args], 'CHROOT_FAILED', { timeoutMs: 120_000, ...options });
}
