import { versions } from '../assets/versions.ts';
import { ensureAssets } from '../assets/install.ts';
import { AssetStore } from '../assets/store.ts';
import { withHostLock } from '../clusters/host-lock.ts';
import type { Config } from '../config.ts';
import { docker, imageId, requireDocker } from '../exec/docker.ts';
import type { ProgressSink } from '../progress.ts';
import { buildBaseImage } from './base-image.ts';
import { buildControlPlaneImages, kubeadmImages } from './control-plane-images.ts';
import { buildAddons } from './addons.ts';
import { buildNodeImage } from './node.ts';
import { buildWorkloadImages } from './workload-images.ts';
import { imageRepos } from './recipe.ts';

export interface NodeImageResult {
  /** The kind node image, e.g. `kubexam/node:v1.34.4-3f9c0a1b2c4d` (tagged by recipe key). */
  image: string;
  /** The control-plane images inside it, tagged as kubeadm prints them. */
  images: string[];
  /** Workload images (busybox, nginx) and add-on images (storage, NetworkPolicy), baked in too. */
  extraImages: string[];
  /** Seconds spent in each stage (about zero when a stage was up to date). */
  seconds: { base: number; images: number; workload: number; addons: number; node: number };
  built: { base: boolean; images: string[]; workload: string[]; addons: string[]; node: boolean };
}

/**
 * Builds the kind node image for the pinned Kubernetes version with no registry: (a) the base
 * image from Debian packages and kind's base files, (b) every image kubeadm needs from kubexam's
 * assets, then the workload images (busybox, nginx: Debian packages) and the add-on images (local
 * storage, NetworkPolicy: assets), (c) the node image with all of them inside. Each stage is
 * skipped when its inputs are unchanged.
 */
export async function ensureNodeImage(config: Config, progress: ProgressSink): Promise<NodeImageResult> {
  await requireDocker();
  const assets = await ensureAssets({ config, sets: ['kwok', 'kind'], progress });
  const manifest = await new AssetStore(config.cacheDir).readManifest();
  const checksums = Object.fromEntries(Object.entries(manifest).map(([name, entry]) => [name, entry.sha256]));
  const kubeadm = assets['kubeadm'] ?? '';

  const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const started = Date.now();
    const value = await work();
    return [value, Math.round((Date.now() - started) / 100) / 10];
  };
  // Builds share work dirs and image tags: one at a time per host (parallel tests, a server). A
  // cold build by another process takes minutes (over 10 on two busy cores): wait for it.
  return withHostLock('node-image', async () => {
    const tags = await kubeadmImages(kubeadm, versions.kubernetes);
    const before = await Promise.all(tags.map(imageId));
    const [base, baseSeconds] = await timed(() => buildBaseImage(config.cacheDir, progress));
    const [cp, imagesSeconds] = await timed(() => buildControlPlaneImages(config.cacheDir, tags, assets, checksums, progress));
    const [workload, workloadSeconds] = await timed(() => buildWorkloadImages(config.cacheDir, progress));
    const [addons, addonsSeconds] = await timed(() => buildAddons(config.cacheDir, assets, checksums, progress));
    const extraTags = [...workload.tags, ...addons.tags];
    const [node, nodeSeconds] = await timed(() =>
      buildNodeImage(
        config.cacheDir,
        {
          baseKey: base.key,
          imagesKey: cp.key,
          tags,
          extraTags,
          extraKey: `${workload.key}+${addons.key}`,
          manifests: addons.manifests,
          assets,
          assetChecksums: checksums,
        },
        progress,
      ),
    );
    await removeReplaced(before, tags);
    await pruneOlder(imageRepos.node, node.image);
    await pruneOlder(imageRepos.base, base.image);
    return {
      image: node.image,
      images: tags,
      extraImages: extraTags,
      seconds: { base: baseSeconds, images: imagesSeconds, workload: workloadSeconds, addons: addonsSeconds, node: nodeSeconds },
      built: { base: base.built, images: cp.built, workload: workload.built, addons: addons.built, node: node.built },
    };
  }, { waitMs: 40 * 60_000 });
}

/**
 * Rebuilt images leave their predecessors untagged (a base image is over 300 MB); remove them,
 * node first since it is built on the base. One still used by a container (a running cluster)
 * stays: Docker refuses, and that is fine.
 */
async function removeReplaced(before: readonly (string | undefined)[], tags: readonly string[]): Promise<void> {
  const now = new Set(await Promise.all(tags.map(imageId)));
  for (const id of before) {
    if (id && !now.has(id)) await docker(['rmi', id], { allowFailure: true });
  }
}

/**
 * Node and base images are tagged by recipe key, so a changed recipe leaves the old ones behind
 * (over 1 GB each). Keep the current one and the two newest others (another checkout on this
 * engine may still use them); remove the rest. One used by a container stays: Docker refuses.
 */
async function pruneOlder(repository: string, current: string): Promise<void> {
  const listed = await docker(['images', repository, '--format', '{{.Repository}}:{{.Tag}}']);
  // `docker images` lists newest first.
  const others = listed.stdout.split('\n').filter((t) => t !== '' && t !== current && !t.endsWith(':<none>'));
  for (const tag of others.slice(2)) await docker(['rmi', tag], { allowFailure: true });
}
