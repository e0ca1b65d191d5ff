import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { versions } from '../assets/versions.ts';

/**
 * What the offline node image is made of. Each stage's image carries a label with the hash of its
 * inputs (versions, package lists, the recipe's own source and data files, asset checksums), and
 * a stage whose image already carries that hash is skipped.
 */
export const recipeLabel = 'dev.kubexam.recipe';

/** Debian release and mirror of every rootfs. bookworm: systemd 252 still boots on cgroup v1 (see NOTES.md). */
export const debian = { suite: 'bookworm', mirror: 'http://deb.debian.org/debian' } as const;

/** kindest/base's package list (kind's images/base/Dockerfile), plus containerd, runc and CNI plugins from Debian. */
export const basePackages = [
  'systemd', 'systemd-sysv', 'dbus',
  'containerd', 'runc', 'containernetworking-plugins',
  'conntrack', 'iptables', 'nftables', 'iproute2', 'ethtool', 'util-linux', 'mount', 'kmod', 'ipset', 'ebtables', 'socat',
  'libseccomp2', 'pigz', 'e2fsprogs',
  'bash', 'ca-certificates', 'curl', 'jq', 'procps', 'less',
] as const;

/** kube-proxy programs iptables and flushes conntrack entries. */
export const kubeProxyPackages = ['iptables', 'conntrack', 'ipset', 'kmod'] as const;

/**
 * Image names. Tags carry the first 12 hex digits of the stage's recipe key, so two checkouts of
 * kubexam with different recipes (git worktrees, an old and a new release) keep their own images
 * on one Docker engine instead of rebuilding each other's.
 */
export const imageRepos = { base: 'kubexam/node-base', node: 'kubexam/node' } as const;
export const baseImage = (key: string): string => `${imageRepos.base}:kind-v${versions.kind}-${key.slice(0, 12)}`;
export const nodeImage = (key: string): string => `${imageRepos.node}:v${versions.kubernetes}-${key.slice(0, 12)}`;

/** The data files of this recipe (pause.c, the iptables wrapper, the node network service). */
export const filesDir = fileURLToPath(new URL('./files/', import.meta.url));

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A stable hash of a stage's inputs: strings as they are, files and folders by content. */
export async function inputsHash(parts: readonly (string | { file: string } | { dir: string })[]): Promise<string> {
  const hash = createHash('sha256');
  for (const part of parts) {
    if (typeof part === 'string') hash.update(`s:${part}\n`);
    // Files by their path inside the repository, not the absolute one: two checkouts of the same
    // recipe (git worktrees) must get the same key, or they rebuild each other's fixed-tag images.
    else if ('file' in part) hash.update(`f:${relative(repoRoot, part.file)}\n`).update(await readFile(part.file));
    else for (const file of await filesUnder(part.dir)) hash.update(`d:${file}\n`).update(await readFile(join(part.dir, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length).replace(/^\//, ''))
    .sort();
}

/** The source file of a recipe module, so that changing how a stage builds changes its key. */
export function sourceOf(moduleUrl: string): { file: string } {
  return { file: fileURLToPath(moduleUrl) };
}
