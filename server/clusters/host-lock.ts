import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * Runs `fn` while holding a lock shared by every kubexam process on this host (whatever its
 * data dir). kwokctl picks ports by counting down from 32767 and probing, so two kwokctl
 * processes starting at once pick the same ports; taking turns, each sees the last one's
 * ports in use.
 */
export async function withHostLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const dir = join(tmpdir(), 'kubexam-locks');
  await mkdir(dir, { recursive: true });
  const file = join(dir, name);
  await writeFile(file, '', { flag: 'a' });
  const release = await lockfile.lock(file, { retries: { retries: 600, minTimeout: 100, maxTimeout: 500 }, stale: 120_000 });
  try {
    return await fn();
  } finally {
    await release();
  }
}
