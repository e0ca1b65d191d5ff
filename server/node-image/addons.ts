import { chmod, copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AssetPaths } from '../assets/install.ts';
import { versions } from '../assets/versions.ts';
import { KubexamError } from '../errors.ts';
import { imageLabel } from '../exec/docker.ts';
import type { ProgressSink } from '../progress.ts';
import { kindModuleDir } from './kind-files.ts';
import { filesDir, inputsHash, recipeLabel, sourceOf } from './recipe.ts';
import { importRootfs, workDir } from './rootfs.ts';
import { containerdName } from './node.ts';

const scope = 'node-image/addons';

/**
 * The cluster add-ons kind's own node image brings, rebuilt from kubexam's assets: the default
 * StorageClass's provisioner and the NetworkPolicy engine. Each is one static Go binary in an
 * otherwise empty image, like the control-plane images; their manifests go to /kind/manifests.
 */
interface AddonImage {
  tag: string;
  binary: string;
  path: string;
}

export const addonImages = {
  localPath: {
    tag: `docker.io/kubexam/local-path-provisioner:v${versions.localPathProvisioner}`,
    binary: 'local-path-provisioner',
    // kind's manifest runs the command by name.
    path: '/usr/bin/local-path-provisioner',
  },
  networkPolicies: {
    tag: `docker.io/kubexam/kube-network-policies:v${versions.kubeNetworkPolicies}`,
    binary: 'kube-network-policies',
    // Where the upstream image has it.
    path: '/bin/netpol',
  },
} as const satisfies Record<string, AddonImage>;

/** What pods name for the workload image the storage helper runs (`sh` with kind's setup script). */
const helperImage = containerdName('busybox:1.35');

export interface Addons {
  tags: string[];
  key: string;
  built: string[];
  /** File name under /kind/manifests -> content. */
  manifests: Record<string, string>;
}

/** Builds the add-on images when their binaries or this recipe changed, and renders their manifests. */
export async function buildAddons(cacheDir: string, assets: AssetPaths, assetChecksums: Record<string, string>, progress: ProgressSink): Promise<Addons> {
  const manifests = {
    'default-storage.yaml': await defaultStorageManifest(cacheDir),
    'network-policy.yaml': (await readFile(join(filesDir, 'network-policy.yaml'), 'utf8')).replaceAll('IMAGE', addonImages.networkPolicies.tag),
  };
  const images = Object.values(addonImages);
  const built: string[] = [];
  const keys: string[] = [];
  for (const image of images) {
    const key = await inputsHash([image.tag, image.path, sourceOf(import.meta.url), sourceOf(new URL('./rootfs.ts', import.meta.url).href), `${image.binary}=${assetChecksums[image.binary] ?? 'unknown'}`]);
    keys.push(`${image.tag}=${key}`);
    if ((await imageLabel(image.tag, recipeLabel)) === key) continue;
    progress({ scope, message: `building ${image.tag}`, state: 'start' });
    const work = await workDir(cacheDir, `addon-${image.binary}`);
    try {
      const source = assets[image.binary];
      if (!source) throw new KubexamError('NODE_IMAGE_ASSET_MISSING', `asset ${image.binary} is not installed; run kubexam assets --set kind`);
      await mkdir(join(work.path, 'tmp'), { recursive: true });
      await chmod(join(work.path, 'tmp'), 0o1777);
      await mkdir(join(work.path, image.path, '..'), { recursive: true });
      await copyFile(source, join(work.path, image.path));
      await chmod(join(work.path, image.path), 0o755);
      await importRootfs(work.path, image.tag, key, ['ENV PATH=/usr/local/bin:/usr/bin:/bin', `ENTRYPOINT ${JSON.stringify([image.path])}`]);
      built.push(image.tag);
    } finally {
      await work.cleanup();
    }
  }
  progress({ scope, message: built.length > 0 ? `built ${built.join(', ')}` : `${images.length} add-on images are up to date`, state: 'done' });
  const key = await inputsHash([...keys, ...Object.entries(manifests).map(([name, text]) => `${name}\n${text}`)]);
  return { tags: images.map((i) => i.tag), key, built, manifests };
}

/**
 * kind's own local-path manifest (`defaultStorageManifest` in the pinned kind module's
 * pkg/build/nodeimage/const_storage.go: namespace, RBAC, Deployment, StorageClass `standard`
 * with WaitForFirstConsumer, ConfigMap), with kubexam's provisioner image and busybox as the helper.
 */
async function defaultStorageManifest(cacheDir: string): Promise<string> {
  const file = join(await kindModuleDir(cacheDir), 'pkg/build/nodeimage/const_storage.go');
  const source = await readFile(file, 'utf8');
  const match = /const defaultStorageManifest = `([\s\S]*?)`\n/.exec(source.replaceAll('` + storageProvisionerImage + `', addonImages.localPath.tag).replaceAll('` + storageHelperImage + `', helperImage));
  if (!match?.[1] || match[1].includes('`')) {
    throw new KubexamError('NODE_IMAGE_KIND_MANIFEST', `${file} no longer holds defaultStorageManifest as kubexam reads it; update server/node-image/addons.ts for kind ${versions.kind}`);
  }
  return `# kind ${versions.kind}'s default storage (local-path-provisioner), images built by kubexam\n${match[1].trim()}\n`;
}
