import { run, type RunOptions, type RunResult } from './run.ts';

/** GNU tar, to turn a root filesystem into the archive `docker import` reads. */
export function tar(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run('tar', args, 'TAR_FAILED', { timeoutMs: 600_000, ...options });
}
