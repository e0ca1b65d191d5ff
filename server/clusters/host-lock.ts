import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { KubexamError } from '../errors.ts';

/**
 * Runs `fn` while holding a lock shared by every kubexam process on this host (whatever its
 * data dir). kwokctl picks ports by counting down from 32767 and probing, so two kwokctl
 * processes starting at once pick the same ports; taking turns, each sees the last one's
 * ports in use.
 */
export async function withHostLock<T>(name: string, fn: () => Promise<T>, options: { waitMs?: number } = {}): Promise<T> {
  const dir = join(tmpdir(), 'kubexam-locks');
  await mkdir(dir, { recursive: true });
  const file = join(dir, name);
  await writeFile(file, '', { flag: 'a' });
  // Retries back off from 100 ms to 500 ms, so the count sets the wait: 5 minutes by default.
  const waitMs = options.waitMs ?? 300_000;
  const release = await lockfile
    .lock(file, { retries: { retries: Math.ceil(waitMs / 500), minTimeout: 100, maxTimeout: 500 }, stale: 120_000 })
    .catch((error: unknown) => {
      const code = (error as { code?: unknown }).code;
      if (code !== 'ELOCKED') throw error;
      throw new KubexamError('HOST_LOCK_BUSY', `another kubexam process on this host held the "${name}" lock (${file}) for over ${Math.round(waitMs / 60_000)} min; wait for it to finish and try again`, { cause: error });
    });
  try {
    return await fn();
  } finally {
    await release();
  }
}
