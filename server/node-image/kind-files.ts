import { go } from '../exec/go.ts';
import { versions } from '../assets/versions.ts';

/** The pinned kind module's folder in the Go module cache (downloaded when missing). */
export async function kindModuleDir(cwd: string): Promise<string> {
  const { stdout } = await go(['mod', 'download', '-json', `sigs.k8s.io/kind@v${versions.kind}`], { cwd, timeoutMs: 300_000 });
  const { Dir } = JSON.parse(stdout) as { Dir: string };
  return Dir;
}

/**
 * kind's base image files (entrypoint, containerd config, kubelet units, cgroup helpers), read
 * from the pinned kind module in the Go module cache: the node image runs the same entrypoint
 * kind's own images run, and kind's provider code expects exactly that.
 */
export async function kindBaseFilesDir(cwd: string): Promise<string> {
  return `${await kindModuleDir(cwd)}/images/base/files`;
}
