import { KubexamError } from '../errors.ts';
import { run, type RunOptions, type RunResult } from './run.ts';

/** debootstrap: a Debian root filesystem from the Debian mirror, the only image source offline. */
export async function debootstrap(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  try {
    return await run('debootstrap', args, 'DEBOOTSTRAP_FAILED', { timeoutMs: 1_200_000, ...options });
  } catch (error) {
    if (error instanceof KubexamError && error.code === 'DEBOOTSTRAP_MISSING') {
      throw new KubexamError(
        'DEBOOTSTRAP_MISSING',
        'debootstrap is not installed; node images are built from Debian packages with it (apt-get install debootstrap, as root)',
        { cause: error },
      );
    }
    throw error;
  }
}
