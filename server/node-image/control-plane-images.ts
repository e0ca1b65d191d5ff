import { chmod, copyFile, mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { AssetPaths } from '../assets/install.ts';
import { KubexamError } from '../errors.ts';
import { imageLabel } from '../exec/docker.ts';
import { gcc } from '../exec/gcc.ts';
import { kubeadm } from '../exec/kubeadm.ts';
import type { ProgressSink } from '../progress.ts';
import { debian, filesDir, inputsHash, kubeProxyPackages, recipeLabel, sourceOf } from './recipe.ts';
import { debianRootfs, importRootfs, workDir } from './rootfs.ts';

const scope = 'node-image/images';

/** How one image kubeadm asks for is made: which asset binary, where, and what else it needs. */
interface ImageRecipe {
  /** The image's repository name after the registry, as kubeadm prints it. */
  repo: string;
  binary: string;
  /** Path of the binary inside the image (kubeadm's manifests call the command by name, on PATH). */
  path: string;
  entrypoint: readonly string[];
  /** kube-proxy runs iptables and conntrack: a Debian rootfs instead of an empty one. */
  debian?: boolean;
}

const recipes: readonly ImageRecipe[] = [
  { repo: 'kube-apiserver', binary: 'kube-apiserver', path: '/usr/local/bin/kube-apiserver', entrypoint: ['/usr/local/bin/kube-apiserver'] },
  { repo: 'kube-controller-manager', binary: 'kube-controller-manager', path: '/usr/local/bin/kube-controller-manager', entrypoint: ['/usr/local/bin/kube-controller-manager'] },
  { repo: 'kube-scheduler', binary: 'kube-scheduler', path: '/usr/local/bin/kube-scheduler', entrypoint: ['/usr/local/bin/kube-scheduler'] },
  { repo: 'kube-proxy', binary: 'kube-proxy', path: '/usr/local/bin/kube-proxy', entrypoint: ['/usr/local/bin/kube-proxy'], debian: true },
  { repo: 'etcd', binary: 'etcd', path: '/usr/local/bin/etcd', entrypoint: ['/usr/local/bin/etcd'] },
  { repo: 'coredns/coredns', binary: 'coredns', path: '/coredns', entrypoint: ['/coredns'] },
  { repo: 'pause', binary: 'pause', path: '/pause', entrypoint: ['/pause'] },
];

/** `registry.k8s.io/kube-apiserver:v1.34.4` -> the recipe for `kube-apiserver`. */
function recipeFor(image: string): ImageRecipe {
  const repo = image.replace(/^[^/]+\//, '').replace(/:[^:]+$/, '');
  const recipe = recipes.find((r) => r.repo === repo);
  if (!recipe) throw new KubexamError('NODE_IMAGE_UNKNOWN_IMAGE', `kubeadm asks for ${image}, which kubexam does not know how to build offline`);
  return recipe;
}

/** The exact image list kubeadm uses for the pinned version. */
export async function kubeadmImages(kubeadmBinary: string, kubernetesVersion: string): Promise<string[]> {
  const { stdout } = await kubeadm(kubeadmBinary, ['config', 'images', 'list', '--kubernetes-version', `v${kubernetesVersion}`]);
  return stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}

/**
 * Stage (b): every image `kubeadm config images list` prints, with exactly those tags, made from
 * kubexam's asset binaries (and a static pause built with gcc). All share one recipe key.
 */
export async function buildControlPlaneImages(
  cacheDir: string,
  tags: readonly string[],
  assets: AssetPaths,
  assetChecksums: Record<string, string>,
  progress: ProgressSink,
): Promise<{ key: string; built: string[] }> {
  const wanted = tags.map((tag) => ({ tag, recipe: recipeFor(tag) }));
  const key = await inputsHash([
    tags.join(','),
    debian.suite,
    kubeProxyPackages.join(','),
    sourceOf(import.meta.url),
    sourceOf(new URL('./rootfs.ts', import.meta.url).href),
    { file: join(filesDir, 'pause.c') },
    { file: join(filesDir, 'iptables-wrapper') },
    ...wanted.filter((w) => w.recipe.binary !== 'pause').map((w) => `${w.recipe.binary}=${assetChecksums[w.recipe.binary] ?? 'unknown'}`),
  ]);
  const stale = [];
  for (const w of wanted) if ((await imageLabel(w.tag, recipeLabel)) !== key) stale.push(w);
  if (stale.length === 0) {
    progress({ scope, message: `${tags.length} control-plane images are up to date`, state: 'done' });
    return { key, built: [] };
  }
  const work = await workDir(cacheDir, 'images');
  try {
    for (const [i, { tag, recipe }] of stale.entries()) {
      progress({ scope, message: `building ${tag}`, fraction: i / stale.length, state: i === 0 ? 'start' : 'update' });
      const root = join(work.path, recipe.binary);
      if (recipe.debian) {
        await debianRootfs(cacheDir, root, kubeProxyPackages, (line) => {
          if (line.startsWith('I: ')) progress({ scope, message: `${tag}: ${line.slice(3)}`, fraction: i / stale.length, state: 'update' });
        });
        await installIptablesWrapper(root);
      } else {
        await mkdir(join(root, 'tmp'), { recursive: true, mode: 0o1777 });
        await chmod(join(root, 'tmp'), 0o1777);
      }
      const target = join(root, recipe.path);
      await mkdir(join(target, '..'), { recursive: true });
      if (recipe.binary === 'pause') await buildPause(target);
      else await copyFile(requireAsset(assets, recipe.binary), target);
      await chmod(target, 0o755);
      await importRootfs(root, tag, key, [
        'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        `ENTRYPOINT ${JSON.stringify(recipe.entrypoint)}`,
      ]);
      await rm(root, { recursive: true, force: true });
    }
    progress({ scope, message: `built ${stale.map((s) => s.tag).join(', ')}`, state: 'done' });
    return { key, built: stale.map((s) => s.tag) };
  } finally {
    await work.cleanup();
  }
}

function requireAsset(assets: AssetPaths, name: string): string {
  const path = assets[name];
  if (!path) throw new KubexamError('NODE_IMAGE_ASSET_MISSING', `asset ${name} is not installed; run kubexam assets --set kwok kind`);
  return path;
}

/** The sandbox's init process, static so that its image holds one file. */
async function buildPause(target: string): Promise<void> {
  await gcc(['-Os', '-static', '-s', '-Wall', '-Werror', '-o', target, join(filesDir, 'pause.c')]);
}

/** Every iptables command goes through the wrapper until it has chosen the node's backend. */
async function installIptablesWrapper(root: string): Promise<void> {
  const sbin = join(root, 'usr/sbin');
  await copyFile(join(filesDir, 'iptables-wrapper'), join(sbin, 'iptables-wrapper'));
  await chmod(join(sbin, 'iptables-wrapper'), 0o755);
  for (const cmd of ['iptables', 'iptables-save', 'iptables-restore', 'ip6tables', 'ip6tables-save', 'ip6tables-restore']) {
    await rm(join(sbin, cmd), { force: true });
    await symlink('iptables-wrapper', join(sbin, cmd));
  }
}
