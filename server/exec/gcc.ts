import { run, type RunOptions, type RunResult } from './run.ts';

/** The C compiler, for the tiny static pause program of the sandbox image. */
export function gcc(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run('gcc', args, 'GCC_FAILED', { timeoutMs: 120_000, ...options });
}
