import { run, type RunOptions, type RunResult } from './run.ts';

/**
 * kind at its pinned asset path. Always with an explicit `--kubeconfig` where kind takes one, so
 * it never writes ~/.kube/config.
 */
export function kind(binary: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run(binary, args, 'KIND_FAILED', { timeoutMs: 300_000, ...options });
}
