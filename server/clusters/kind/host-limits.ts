import { readFile, writeFile } from 'node:fs/promises';
import type { ProgressSink } from '../../progress.ts';

/**
 * kind's known issue "Pod errors due to too many open files": every node runs systemd, kubelet
 * and containerd, each holding inotify instances, and the host's default of 128 instances per
 * user runs out at about ten nodes; new node containers then stop at once (seen here with a few
 * clusters side by side). kind's documented fix is these sysctls.
 */
const wanted = { max_user_instances: 512, max_user_watches: 524288 } as const;

/** Raises the host's inotify limits to kind's recommendation when root; otherwise says how. */
export async function ensureInotifyLimits(progress: ProgressSink): Promise<void> {
  for (const [name, value] of Object.entries(wanted)) {
    const path = `/proc/sys/fs/inotify/${name}`;
    const current = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (!Number.isFinite(current) || current === 0 || current >= value) continue;
    const ok = process.getuid?.() === 0 && (await writeFile(path, `${value}\n`).then(() => true, () => false));
    progress({
      scope: 'kind',
      message: ok
        ? `raised fs.inotify.${name} from ${current} to ${value} (kind nodes run out of inotify instances otherwise)`
        : `fs.inotify.${name} is ${current}; several kind nodes need ${value}: sudo sysctl -w fs.inotify.${name}=${value}`,
      state: 'update',
    });
  }
}
