import { run, type RunOptions, type RunResult } from './run.ts';

/** kubeadm at its pinned path, on the host only to ask it which images a version needs. */
export function kubeadm(binary: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run(binary, args, 'KUBEADM_FAILED', { timeoutMs: 60_000, ...options });
}
