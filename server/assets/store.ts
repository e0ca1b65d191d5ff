import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AssetSpec } from './catalog.ts';

/** What we recorded about an installed asset when it was verified. */
export interface ManifestEntry {
  version: string;
  sha256: string;
  size: number;
  source: 'release' | 'build' | 'present';
  installedAt: string;
  /** File identity when it was hashed: unchanged identity means unchanged content. */
  mtimeMs?: number;
  ino?: number;
}

export type Manifest = Record<string, ManifestEntry>;

/**
 * The asset cache: `<cacheDir>/assets/<group>-v<version>/<name>`, keyed by version so that a
 * version bump never reuses a stale binary, and `manifest.json` with each file's checksum.
 */
export class AssetStore {
  readonly root: string;

  constructor(cacheDir: string) {
    this.root = join(cacheDir, 'assets');
  }

  dirFor(spec: AssetSpec): string {
    return join(this.root, `${spec.group}-v${spec.version}`);
  }

  pathFor(spec: AssetSpec): string {
    return join(this.dirFor(spec), spec.name);
  }

  private get manifestPath(): string {
    return join(this.root, 'manifest.json');
  }

  async readManifest(): Promise<Manifest> {
    try {
      return JSON.parse(await readFile(this.manifestPath, 'utf8')) as Manifest;
    } catch {
      return {};
    }
  }

  async writeManifest(manifest: Manifest): Promise<void> {
    await mkdir(this.root, { recursive: true });
    const tmp = `${this.manifestPath}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(manifest, null, 2));
    await rename(tmp, this.manifestPath);
  }

  /**
   * True when the file exists and its checksum is the one recorded for this version. The hash
   * is recomputed only when the file's identity (size, mtime, inode) changed since it was
   * recorded, or when `deep` asks for it: hashing every binary on every command would cost
   * about a second.
   */
  async isVerified(spec: AssetSpec, manifest: Manifest, deep = false): Promise<boolean> {
    const entry = manifest[spec.name];
    if (!entry || entry.version !== spec.version) return false;
    const path = this.pathFor(spec);
    const info = await stat(path).catch(() => undefined);
    if (!info || info.size !== entry.size) return false;
    if (!deep && info.mtimeMs === entry.mtimeMs && info.ino === entry.ino) return true;
    if ((await sha256File(path)) !== entry.sha256) return false;
    // Same content under a new identity (copied, touched): remember it so the next run is quick.
    entry.mtimeMs = info.mtimeMs;
    entry.ino = info.ino;
    this.identityRefreshed = true;
    return true;
  }

  /** Set when isVerified learned a new file identity; the caller saves the manifest. */
  identityRefreshed = false;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
