import { run, type RunOptions, type RunResult } from './run.ts';

/** kubectl at its pinned path, always against an explicit kubeconfig (never ~/.kube/config). */
export function kubectl(binary: string, kubeconfig: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run(binary, ['--kubeconfig', kubeconfig, ...args], 'KUBECTL_FAILED', { timeoutMs: 60_000, ...options });
}
