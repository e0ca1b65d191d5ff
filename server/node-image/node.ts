import { join } from 'node:path';
import type { AssetPaths } from '../assets/install.ts';
import { versions } from '../assets/versions.ts';
import { KubexamError } from '../errors.ts';
import { docker, imageLabel } from '../exec/docker.ts';
import type { ProgressSink } from '../progress.ts';
import { baseImage, inputsHash, nodeImage, recipeLabel, sourceOf } from './recipe.ts';
import { workDir } from './rootfs.ts';

const scope = 'node-image/node';
const nodeBinaries = ['kubelet', 'kubeadm', 'kubectl'] as const;
const localBinaries = ['etcdctl', 'etcdutl'] as const;

/**
 * The name containerd stores an image under: Docker's short names are normalized the way
 * `ctr images import` and the kubelet do (`busybox:1.35` -> `docker.io/library/busybox:1.35`).
 */
export function containerdName(tag: string): string {
  const [first] = tag.split('/');
  if (!tag.includes('/')) return `docker.io/library/${tag}`;
  if (first && !first.includes('.') && !first.includes(':') && first !== 'localhost') return `docker.io/${tag}`;
  return tag;
}

export interface NodeInputs {
  baseKey: string;
  imagesKey: string;
  /** Every image kubeadm needs, as tagged in Docker; the pause image among them. */
  tags: readonly string[];
  /** Images pods use (busybox, nginx) and the add-ons' images, as tagged in Docker, and their stages' key. */
  extraTags: readonly string[];
  extraKey: string;
  /** Files for /kind/manifests (kind applies default-storage.yaml at cluster creation). */
  manifests: Record<string, string>;
  assets: AssetPaths;
  assetChecksums: Record<string, string>;
}

/**
 * Stage (c): what `kind build node-image` does, minus its registry pulls. Start the base image,
 * copy the Kubernetes binaries in, write /kind/version, import every image into containerd, commit
 * with kind's entrypoint.
 */
export async function buildNodeImage(cacheDir: string, inputs: NodeInputs, progress: ProgressSink): Promise<{ image: string; built: boolean }> {
  const pause = inputs.tags.find((t) => /\/pause:/.test(t));
  if (!pause) throw new KubexamError('NODE_IMAGE_NO_PAUSE', `kubeadm's image list has no pause image: ${inputs.tags.join(', ')}`);
  const key = await inputsHash([
    inputs.baseKey,
    inputs.imagesKey,
    inputs.extraKey,
    ...Object.entries(inputs.manifests).map(([file, text]) => `${file}\n${text}`),
    versions.kubernetes,
    sourceOf(import.meta.url),
    ...[...nodeBinaries, ...localBinaries].map((b) => `${b}=${inputs.assetChecksums[b] ?? 'unknown'}`),
  ]);
  const image = nodeImage(key);
  const base = baseImage(inputs.baseKey);
  if ((await imageLabel(image, recipeLabel)) === key) {
    progress({ scope, message: `${image} is up to date`, state: 'done' });
    return { image: image, built: false };
  }
  const work = await workDir(cacheDir, 'node');
  const name = `kubexam-node-build-${Date.now().toString(36)}`;
  const exec = (args: readonly string[], input?: string) =>
    docker(['exec', ...(input === undefined ? [] : ['-i']), name, ...args], input === undefined ? {} : { input });
  try {
    progress({ scope, message: `starting a build container from ${base}`, state: 'start' });
    await docker([
      'run', '-d', '--name', name, '--label', 'dev.kubexam.build=node-image',
      '--entrypoint', 'sleep', '--security-opt', 'seccomp=unconfined', base, 'infinity',
    ]);
    progress({ scope, message: `copying ${nodeBinaries.join(', ')}`, state: 'update' });
    for (const binary of nodeBinaries) {
      const path = inputs.assets[binary];
      if (!path) throw new KubexamError('NODE_IMAGE_ASSET_MISSING', `asset ${binary} is not installed; run kubexam assets --set kind`);
      await docker(['cp', path, `${name}:/usr/bin/${binary}`]);
      await exec(['chown', 'root:root', `/usr/bin/${binary}`]);
    }
    // etcdctl and etcdutl where the exam's control plane has them, for etcd backup and restore.
    for (const binary of localBinaries) {
      const path = inputs.assets[binary];
      if (!path) throw new KubexamError('NODE_IMAGE_ASSET_MISSING', `asset ${binary} is not installed; run kubexam assets --set kind`);
      await docker(['cp', path, `${name}:/usr/local/bin/${binary}`]);
      await exec(['chown', 'root:root', `/usr/local/bin/${binary}`]);
    }
    await exec(['sh', '-c', 'cat > /kind/version'], `v${versions.kubernetes}`);
    await exec(['mkdir', '-p', '/kind/manifests']);
    for (const [file, text] of Object.entries(inputs.manifests)) await exec(['sh', '-c', `cat > /kind/manifests/${file}`], text);
    // containerd's sandbox image must be the pause image we ship (kind's config names pause:3.10).
    await exec(['sed', '-i', `s#sandbox_image = ".*"#sandbox_image = "${pause}"#`, '/etc/containerd/config.toml']);

    const images = [...inputs.tags, ...inputs.extraTags];
    progress({ scope, message: `saving ${images.length} images`, state: 'update' });
    const archive = join(work.path, 'images.tar');
    await docker(['save', '-o', archive, ...images]);
    await docker(['cp', archive, `${name}:/images.tar`]);

    progress({ scope, message: 'importing images into the node containerd', state: 'update' });
    await exec(['bash', '-c', 'nohup containerd >/tmp/containerd.log 2>&1 &']);
    await exec(['bash', '-c', 'for i in $(seq 1 60); do [ -S /run/containerd/containerd.sock ] && ctr version >/dev/null 2>&1 && exit 0; sleep 0.5; done; cat /tmp/containerd.log >&2; exit 1']);
    await exec(['ctr', '--namespace=k8s.io', 'images', 'import', '--all-platforms', '--no-unpack', '--digests', '/images.tar']);
    // Debian's containerd 1.6 ctr has no `import --label`; pin afterwards (honoured from containerd 1.7).
    // Pinned like kind's own images, so that image garbage collection never removes them.
    const stored = images.map(containerdName);
    for (const ref of stored) await exec(['ctr', '--namespace=k8s.io', 'images', 'label', ref, 'io.cri-containerd.pinned=pinned']);
    const listed = (await exec(['ctr', '--namespace=k8s.io', 'images', 'list', '-q'])).stdout.split('\n');
    const missing = stored.filter((t) => !listed.includes(t));
    if (missing.length > 0) throw new KubexamError('NODE_IMAGE_IMPORT_FAILED', `containerd in the node image lacks ${missing.join(', ')} after import`);
    // `sleep` is PID 1 here and reaps nothing: a stopped containerd stays as a zombie, so wait for
    // no *live* containerd rather than for none at all.
    await exec(['bash', '-c', "pkill -x containerd; for i in $(seq 1 80); do ps -C containerd -o stat= | grep -qv '^Z' || exit 0; sleep 0.25; done; exit 1"]);
    await exec(['rm', '-rf', '/images.tar', '/tmp/containerd.log', '/run/containerd']);

    progress({ scope, message: `committing ${image}`, state: 'update' });
    await docker([
      'commit',
      '--change', 'ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]',
      '--change', 'CMD []',
      '--change', `LABEL ${recipeLabel}=${key}`,
      name, image,
    ]);
    progress({ scope, message: `built ${image}`, state: 'done' });
    return { image: image, built: true };
  } finally {
    await docker(['rm', '-f', '-v', name], { allowFailure: true });
    await work.cleanup();
  }
}
