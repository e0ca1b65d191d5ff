import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubexamError } from '../errors.ts';
import { debootstrap } from '../exec/debootstrap.ts';
import { debian } from './recipe.ts';

/** A downloaded Debian package: its file and its version (`1:1.35.0-4+deb12u1+b1`). */
export interface DebFile {
  path: string;
  version: string;
}

/**
 * Downloads `packages` with their dependencies (debootstrap resolves them, minbase included, into
 * the .deb cache `debianRootfs` shares) and returns the file of each package asked for, as this
 * download chose it. `scratch` receives debootstrap's bookkeeping and copies of the files; the
 * caller removes it. Root only, like every image build step (debootstrap refuses otherwise).
 */
export async function downloadDebs(cacheDir: string, scratch: string, packages: readonly string[]): Promise<Record<string, DebFile>> {
  if (process.getuid?.() !== 0) {
    throw new KubexamError('NODE_IMAGE_NEEDS_ROOT', 'building the workload images runs debootstrap, which needs root: run `kubexam node-image` once as root (sudo)');
  }
  const cache = join(cacheDir, 'node-image', 'debs', debian.suite);
  await mkdir(cache, { recursive: true });
  await debootstrap(['--download-only', '--variant=minbase', `--cache-dir=${cache}`, `--include=${packages.join(',')}`, debian.suite, scratch, debian.mirror]);
  // One "package /var/cache/apt/archives/file.deb" line per package, relative to the target.
  const listed = await readFile(join(scratch, 'debootstrap', 'debpaths'), 'utf8');
  const paths = new Map(listed.split('\n').filter(Boolean).map((line) => line.split(' ') as [string, string]));
  const found: Record<string, DebFile> = {};
  for (const name of packages) {
    const path = paths.get(name);
    if (!path) throw new KubexamError('NODE_IMAGE_DEB_MISSING', `debootstrap did not download Debian package ${name} (${debian.suite}); check its name with apt-cache policy ${name}`);
    // File names are name_version_arch.deb with the epoch's colon written as %3a.
    const version = decodeURIComponent(path.split('/').pop()?.split('_')[1] ?? '');
    found[name] = { path: join(scratch, path), version };
  }
  return found;
}
