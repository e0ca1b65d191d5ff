import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterInfo } from './provider.ts';

/**
 * What kubexam knows about the clusters it made: `<dataDir>/clusters/<name>/cluster.json` beside
 * the cluster's kubeconfig (mode 0600). Kept on disk so a restarted process finds and reaps them.
 */
export class ClusterRecords {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'clusters');
  }

  dir(name: string): string {
    return join(this.root, name);
  }

  kubeconfigPath(name: string): string {
    return join(this.dir(name), 'kubeconfig');
  }

  async prepare(name: string): Promise<string> {
    const dir = this.dir(name);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  async save(info: ClusterInfo): Promise<void> {
    await this.prepare(info.name);
    await writeFile(join(this.dir(info.name), 'cluster.json'), JSON.stringify(info, null, 2), { mode: 0o600 });
  }

  async load(name: string): Promise<ClusterInfo | undefined> {
    try {
      return JSON.parse(await readFile(join(this.dir(name), 'cluster.json'), 'utf8')) as ClusterInfo;
    } catch {
      return undefined;
    }
  }

  async all(): Promise<ClusterInfo[]> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    const infos = await Promise.all(names.map((n) => this.load(n)));
    return infos.filter((i): i is ClusterInfo => i !== undefined);
  }

  async remove(name: string): Promise<void> {
    await rm(this.dir(name), { recursive: true, force: true });
  }
}
