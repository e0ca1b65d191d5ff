import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeImage } from '../../server/clusters/images.ts';
import { docker } from '../../server/exec/docker.ts';
import { run } from '../../server/exec/run.ts';

/**
 * Makes sure the kind nodes hold `probeImage` (busybox:1.35). The node image will carry it
 * (the images work loads the workload images); until a node image does, the image is made here
 * the same way — Debian bookworm's busybox-static in an otherwise empty rootfs — and loaded with
 * `kind load`. A no-op once the node image has it.
 */
export async function ensureProbeImage(kindBinary: string, cluster: string, container: string): Promise<void> {
  // Nodes have no crictl; containerd lists the image under its normalized name.
  const present = await docker(['exec', container, 'ctr', '-n', 'k8s.io', 'images', 'list', '-q'], { allowFailure: true });
  if (present.stdout.split('\n').includes(`docker.io/library/${probeImage}`)) return;
  const local = await docker(['image', 'inspect', probeImage], { allowFailure: true });
  if (local.exitCode !== 0) await buildBusybox();
  await run(kindBinary, ['load', 'docker-image', probeImage, '--name', cluster], 'KIND_FAILED', { timeoutMs: 300_000 });
}

async function buildBusybox(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kubexam-busybox-'));
  try {
    await run('apt-get', ['download', 'busybox-static'], 'APT_FAILED', { cwd: dir, timeoutMs: 300_000 });
    const script = [
      'set -e',
      'dpkg -x busybox-static_*.deb x',
      'mkdir -p root/bin root/etc root/tmp',
      'cp x/bin/busybox root/bin/busybox',
      'for a in $(root/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "root/bin/$a"; done',
      "printf 'root:x:0:0:root:/root:/bin/sh\\nnobody:x:65534:65534:nobody:/:/bin/sh\\n' > root/etc/passwd",
      'tar -C root -cf busybox.tar .',
    ].join('\n');
    await run('sh', ['-c', script], 'BUSYBOX_BUILD_FAILED', { cwd: dir });
    await docker(['import', '--change', 'CMD ["sh"]', join(dir, 'busybox.tar'), probeImage]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
