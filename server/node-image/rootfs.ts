import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KubexamError } from '../errors.ts';
import { debootstrap } from '../exec/debootstrap.ts';
import { docker } from '../exec/docker.ts';
import { tar } from '../exec/tar.ts';
import { debian, recipeLabel } from './recipe.ts';

/** A scratch folder for one stage under the cache dir, emptied first and removed by `cleanup`. */
export async function workDir(cacheDir: string, name: string): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = join(cacheDir, 'node-image', 'work', name);
  await rm(path, { recursive: true, force: true });
  await mkdir(path, { recursive: true });
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/**
 * A minimal Debian root filesystem with `packages`, from the Debian mirror. Downloaded .debs are
 * kept in the cache, so a rebuild with a changed recipe does not download them again.
 */
export async function debianRootfs(cacheDir: string, target: string, packages: readonly string[], onLine?: (line: string) => void): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new KubexamError(
      'NODE_IMAGE_NEEDS_ROOT',
      'building the node image runs debootstrap and chroot, which need root: run `kubexam node-image` once as root (sudo); ' +
        'using the built image needs only Docker. Or use the embedded kwok provider.',
    );
  }
  const debs = join(cacheDir, 'node-image', 'debs', debian.suite);
  await mkdir(debs, { recursive: true });
  await debootstrap(
    ['--variant=minbase', `--cache-dir=${debs}`, `--include=${packages.join(',')}`, debian.suite, target, debian.mirror],
    onLine ? { onStderrLine: onLine } : {},
  );
  // Package caches and lists only make the image bigger; apt is never run inside it.
  await rm(join(target, 'var/cache/apt/archives'), { recursive: true, force: true });
  await rm(join(target, 'var/lib/apt/lists'), { recursive: true, force: true });
  await mkdir(join(target, 'var/cache/apt/archives/partial'), { recursive: true });
  await mkdir(join(target, 'var/lib/apt/lists/partial'), { recursive: true });
}

/**
 * A folder as an image carrying the recipe key: `docker import`, then a one-line-per-instruction
 * Dockerfile on top for the settings `docker import --change` refuses (STOPSIGNAL). Owners stay
 * numeric: the image has its own users.
 */
export async function importRootfs(root: string, image: string, key: string, instructions: readonly string[]): Promise<void> {
  const archive = `${root}.tar`;
  const imported = `${image}-rootfs`;
  try {
    await tar(['--numeric-owner', '--xattrs', '--xattrs-include=*', '-C', root, '-cf', archive, '.']);
    await docker(['import', archive, imported]);
    const dockerfile = [`FROM ${imported}`, ...instructions, `LABEL ${recipeLabel}=${key}`].join('\n');
    await docker(['build', '-q', '-t', image, '-'], { input: `${dockerfile}\n`, env: { DOCKER_BUILDKIT: '0' } });
  } finally {
    await docker(['rmi', imported], { allowFailure: true });
    await rm(archive, { force: true });
  }
}
