import { chmod, copyFile, mkdir, readdir, rm, symlink, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chroot } from '../exec/chroot.ts';
import { imageLabel } from '../exec/docker.ts';
import type { ProgressSink } from '../progress.ts';
import { kindBaseFilesDir } from './kind-files.ts';
import { baseImage, basePackages, debian, filesDir, inputsHash, recipeLabel, sourceOf } from './recipe.ts';
import { debianRootfs, importRootfs, workDir } from './rootfs.ts';

const scope = 'node-image/base';

/** Our own node files: the node network service and the runc wrapper (see NOTES.md). */
const ownFiles = ['kubexam-cni', 'kubexam-cni.service', 'runc-nosysres'];

/**
 * Stage (a): kindest/base rebuilt from Debian packages. The rootfs is debootstrapped on the host
 * and finished in a chroot the way kind's Dockerfile finishes its image, then imported.
 */
export async function buildBaseImage(cacheDir: string, progress: ProgressSink): Promise<{ image: string; key: string; built: boolean }> {
  const kindFiles = await kindBaseFilesDir(cacheDir);
  const key = await inputsHash([
    debian.suite,
    debian.mirror,
    basePackages.join(','),
    sourceOf(import.meta.url),
    sourceOf(new URL('./rootfs.ts', import.meta.url).href),
    { dir: kindFiles },
    ...ownFiles.map((f) => ({ file: join(filesDir, f) })),
  ]);
  const image = baseImage(key);
  if ((await imageLabel(image, recipeLabel)) === key) {
    progress({ scope, message: `${image} is up to date`, state: 'done' });
    return { image: image, key, built: false };
  }
  const work = await workDir(cacheDir, 'base');
  try {
    const root = join(work.path, 'rootfs');
    progress({ scope, message: `debootstrap ${debian.suite} with ${basePackages.length} packages`, state: 'start' });
    await debianRootfs(cacheDir, root, basePackages, (line) => {
      if (line.startsWith('I: ')) progress({ scope, message: line.slice(3), state: 'update' });
    });
    progress({ scope, message: 'adding kind base files and configuring systemd, containerd, CNI', state: 'update' });
    await addKindFiles(kindFiles, root);
    await finishRootfs(root);
    progress({ scope, message: `importing ${image}`, state: 'update' });
    await importRootfs(root, image, key, [
      'ENV container=docker',
      'STOPSIGNAL SIGRTMIN+3',
      'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]',
    ]);
    progress({ scope, message: `built ${image}`, state: 'done' });
    return { image: image, key, built: true };
  } finally {
    await work.cleanup();
  }
}

/** The COPY lines of kind's Dockerfile: scripts 0755, everything else 0644. */
async function addKindFiles(from: string, root: string): Promise<void> {
  const copyDir = async (rel: string, mode: number) => {
    await mkdir(join(root, rel), { recursive: true });
    for (const entry of await readdir(join(from, rel), { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      await copyFile(join(from, rel, entry.name), join(root, rel, entry.name));
      await chmod(join(root, rel, entry.name), mode);
    }
  };
  await copyDir('usr/local/bin', 0o755);
  await copyDir('kind', 0o644);
  await copyDir('kind/bin', 0o755);
  for (const dir of ['etc', 'etc/containerd', 'etc/default', 'etc/sysctl.d', 'etc/systemd/system', 'etc/systemd/system/kubelet.service.d']) {
    await copyDir(dir, 0o644);
  }
  await copyFile(join(filesDir, 'kubexam-cni'), join(root, 'usr/local/bin/kubexam-cni'));
  await chmod(join(root, 'usr/local/bin/kubexam-cni'), 0o755);
  await copyFile(join(filesDir, 'kubexam-cni.service'), join(root, 'etc/systemd/system/kubexam-cni.service'));
  // First on containerd's PATH, ahead of Debian's /usr/sbin/runc.
  await mkdir(join(root, 'usr/local/sbin'), { recursive: true });
  await copyFile(join(filesDir, 'runc-nosysres'), join(root, 'usr/local/sbin/runc'));
  await chmod(join(root, 'usr/local/sbin/runc'), 0o755);
}

/** The RUN lines of kind's Dockerfile, adapted to Debian's containerd, runc and CNI plugin paths. */
async function finishRootfs(root: string): Promise<void> {
  // kind's containerd.service runs /usr/local/bin/containerd; Debian installs it in /usr/bin.
  for (const bin of ['containerd', 'containerd-shim-runc-v2', 'ctr']) {
    await rm(join(root, 'usr/local/bin', bin), { force: true });
    await symlink(`/usr/bin/${bin}`, join(root, 'usr/local/bin', bin));
  }
  // Debian's CNI plugins live in /usr/lib/cni; containerd looks in /opt/cni/bin.
  await mkdir(join(root, 'opt/cni/bin'), { recursive: true });
  for (const plugin of await readdir(join(root, 'usr/lib/cni'))) {
    await symlink(`/usr/lib/cni/${plugin}`, join(root, 'opt/cni/bin', plugin));
  }
  const unwanted = [
    'lib/systemd/system/sysinit.target.wants/systemd-tmpfiles-setup.service',
    'lib/systemd/system/multi-user.target.wants',
    'lib/systemd/system/local-fs.target.wants',
    'lib/systemd/system/basic.target.wants',
  ];
  for (const entry of await readdir(join(root, 'etc/systemd/system'))) {
    if (entry.endsWith('.wants')) unwanted.push(`etc/systemd/system/${entry}`);
  }
  for (const path of unwanted) await rm(join(root, path), { recursive: true, force: true });
  for (const entry of await readdir(join(root, 'lib/systemd/system/sockets.target.wants')).catch(() => [])) {
    if (entry.includes('udev') || entry.includes('initctl')) await rm(join(root, 'lib/systemd/system/sockets.target.wants', entry));
  }
  await appendFile(join(root, 'etc/systemd/journald.conf'), 'ReadKMsg=no\n');
  await chroot(root, ['systemctl', 'enable', 'kubelet.service', 'containerd.service', 'undo-mount-hacks.service', 'kubexam-cni.service']);
  await chroot(root, ['systemctl', 'mask', 'systemd-binfmt.service']);
  await mkdir(join(root, 'etc/kubernetes/manifests'), { recursive: true });
  // The product_uuid hook of kind's base image, and no rlimits (kind's Dockerfile does the same with jq).
  const spec = await chroot(root, ['ctr', 'oci', 'spec']);
  const parsed = JSON.parse(spec.stdout) as { hooks?: { createContainer?: { path: string }[] }; process?: { rlimits?: unknown } };
  parsed.hooks = { ...parsed.hooks, createContainer: [...(parsed.hooks?.createContainer ?? []), { path: '/kind/bin/mount-product-files.sh' }] };
  if (parsed.process) delete parsed.process.rlimits;
  await writeFile(join(root, 'etc/containerd/cri-base.json'), `${JSON.stringify(parsed, null, 2)}\n`);
  // Every node gets its own identity at boot (kind's entrypoint regenerates machine-id).
  await rm(join(root, 'etc/machine-id'), { force: true });
  await writeFile(join(root, 'etc/machine-id'), '');
}
