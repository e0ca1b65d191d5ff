import { KubexamError } from '../errors.ts';
import { run, type RunOptions, type RunResult } from './run.ts';

/** The Go toolchain, used to build Kubernetes components from the module proxy. */
export async function go(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  try {
    return await run('go', args, 'GO_FAILED', options);
  } catch (error) {
    if (error instanceof KubexamError && error.code === 'GO_MISSING') {
      throw new KubexamError(
        'GO_MISSING',
        'the Go toolchain is not installed, and no verified release download was reachable. Install Go 1.24 or newer ' +
          '(https://go.dev/doc/install, or your distribution once it ships 1.24+) and run `kubexam assets` again.',
        { cause: error },
      );
    }
    throw error;
  }
}
