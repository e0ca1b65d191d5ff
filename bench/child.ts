import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';

const children = new Set<ChildProcess>();
let hooked = false;

/** Kills `child` if the bench exits (or is interrupted) while it still runs. */
export function killOnExit(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const c of children) c.kill('SIGKILL');
  });
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the child is gone. */
export async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** VmRSS of a process in KiB, from /proc/<pid>/status. */
export async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match?.[1]) throw new Error(`/proc/${pid}/status has no VmRSS`);
  return Number(match[1]);
}

/** Samples a process's VmRSS every `everyMs` until `stop()`, which returns the peak in KiB. */
export function sampleRss(pid: number, everyMs = 20): { stop(): Promise<{ peakKiB: number; samples: number }> } {
  let peak = 0;
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const rss = await rssKiB(pid).catch(() => 0);
      peak = Math.max(peak, rss);
      samples++;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      peak = Math.max(peak, await rssKiB(pid).catch(() => 0));
      return { peakKiB: peak, samples };
    },
  };
}
