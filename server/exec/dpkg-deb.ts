import { run, type RunOptions, type RunResult } from './run.ts';

/** dpkg-deb: unpacks one Debian package into a folder, for images made of a few packages. */
export function dpkgDeb(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run('dpkg-deb', args, 'DPKG_DEB_FAILED', { timeoutMs: 120_000, ...options });
}
