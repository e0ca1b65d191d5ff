import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ProcessMemory {
  /** The pid file's name without `.pid`: etcd, kube-apiserver, ... */
  process: string;
  pid: number;
  rssKiB: number;
}

/**
 * Resident memory of every process of a kwok cluster. kwokctl (binary runtime) writes one pid
 * file per component under `<dataDir>/kwok/clusters/<name>/pids/`; a pid is only counted when
 * its command line runs from that cluster's folder, so a stale pid file cannot add a stranger.
 */
export async function clusterMemory(dataDir: string, cluster: string): Promise<ProcessMemory[]> {
  const clusterDir = join(dataDir, 'kwok', 'clusters', cluster);
  const pidDir = join(clusterDir, 'pids');
  const files = (await readdir(pidDir)).filter((f) => f.endsWith('.pid')).sort();
  if (files.length === 0) throw new Error(`no pid files in ${pidDir}`);
  return Promise.all(
    files.map(async (file) => {
      const pid = Number((await readFile(join(pidDir, file), 'utf8')).trim());
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (!cmdline.startsWith(clusterDir)) throw new Error(`${join(pidDir, file)}: pid ${pid} is not a process of cluster ${cluster}`);
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const rss = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
      if (!rss?.[1]) throw new Error(`/proc/${pid}/status has no VmRSS`);
      return { process: file.replace(/\.pid$/, ''), pid, rssKiB: Number(rss[1]) };
    }),
  );
}
