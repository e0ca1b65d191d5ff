import { run, type RunOptions, type RunResult } from './run.ts';

/** kwokctl with its work directory under kubexam's data dir, so clusters never land in ~/.kwok. */
export function kwokctl(binary: string, workdir: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run(binary, args, 'KWOKCTL_FAILED', {
    timeoutMs: 180_000,
    ...options,
    env: { ...options.env, KWOK_WORKDIR: workdir },
  });
}
