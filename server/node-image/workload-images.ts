import { chmod, copyFile, mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { KubexamError } from '../errors.ts';
import { imageLabel } from '../exec/docker.ts';
import { dpkgDeb } from '../exec/dpkg-deb.ts';
import type { ProgressSink } from '../progress.ts';
import { debian, filesDir, inputsHash, recipeLabel, sourceOf } from './recipe.ts';
import { downloadDebs, type DebFile } from './debs.ts';
import { importRootfs, workDir } from './rootfs.ts';

const scope = 'node-image/workload';
const workloadFiles = join(filesDir, 'workload');

/**
 * An image for lab workloads, made of a few Debian packages unpacked into an empty folder: no
 * apt, no dpkg database, no shell beyond busybox. The tag names the upstream version of the
 * package in `versionOf`, and the build refuses a download whose version does not match it.
 */
interface WorkloadRecipe {
  tag: string;
  versionOf: string;
  packages: readonly string[];
  /** Lays out users, links and configuration after the packages are unpacked. */
  finish: (root: string) => Promise<void>;
  instructions: readonly string[];
}

const PATH = 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Docs, manuals, translations and init scripts nobody runs in a container. */
const unused = ['usr/share/doc', 'usr/share/man', 'usr/share/locale', 'usr/share/lintian', 'usr/share/vim', 'usr/share/apport', 'usr/share/bug', 'etc/init.d', 'etc/ufw', 'etc/logrotate.d', 'etc/default', 'lib/systemd'];

const recipes: readonly WorkloadRecipe[] = [
  {
    // Like the upstream busybox image: the one binary, every applet linked to it, a few users.
    tag: 'busybox:1.35',
    versionOf: 'busybox-static',
    packages: ['busybox-static'],
    finish: async (root) => {
      await baseLayout(root);
      await mkdir(join(root, 'var/www'), { recursive: true });
    },
    // `--install -s` links every applet (sh, nc, wget, httpd, ...) at its usual path.
    instructions: [PATH, 'RUN ["/bin/busybox", "--install", "-s"]', 'CMD ["sh"]'],
  },
  {
    // Debian's nginx with the upstream image's conventions: the welcome page from
    // /usr/share/nginx/html, access log to stdout, error log to stderr, `daemon off`. busybox
    // gives `kubectl exec` a shell and the usual tools (upstream's image has Debian's).
    tag: 'nginx:1.22',
    versionOf: 'nginx',
    packages: ['nginx', 'nginx-common', 'libc6', 'libgcc-s1', 'libcrypt1', 'libpcre2-8-0', 'libssl3', 'zlib1g', 'busybox-static'],
    finish: async (root) => {
      await baseLayout(root);
      const nginx = join(root, 'etc/nginx');
      for (const dir of ['conf.d', 'sites-enabled', 'modules-enabled']) await mkdir(join(nginx, dir), { recursive: true });
      await copyFile(join(workloadFiles, 'nginx-default.conf'), join(nginx, 'conf.d/default.conf'));
      await copyFile(join(workloadFiles, 'nginx-50x.html'), join(root, 'usr/share/nginx/html/50x.html'));
      // Debian's nginx.conf logs to these files; upstream's image links them to the container's streams.
      await mkdir(join(root, 'var/log/nginx'), { recursive: true });
      await symlink('/dev/stdout', join(root, 'var/log/nginx/access.log'));
      await symlink('/dev/stderr', join(root, 'var/log/nginx/error.log'));
      // nginx creates its temp folders (body, proxy, ...) under these at start, not the parents.
      for (const dir of ['var/lib/nginx', 'var/cache/nginx', 'run']) await mkdir(join(root, dir), { recursive: true });
      // Debian's libraries are found through the loader's built-in multiarch paths; gconv
      // modules (iconv) are the biggest part of libc6 and nginx never loads them.
      await rm(join(root, 'usr/lib/x86_64-linux-gnu/gconv'), { recursive: true, force: true });
    },
    instructions: [
      PATH,
      'RUN ["/bin/busybox", "--install", "-s"]',
      'EXPOSE 80',
      // Upstream's choice: SIGQUIT is nginx's graceful shutdown.
      'STOPSIGNAL SIGQUIT',
      `CMD ["nginx", "-g", "daemon off;"]`,
    ],
  },
];

/** Every workload image kubexam builds, as pods name them (`busybox:1.35`). */
export const workloadImageTags: readonly string[] = recipes.map((r) => r.tag);

/** Folders every image has, with the shared users and groups (www-data for nginx's workers). */
async function baseLayout(root: string): Promise<void> {
  for (const dir of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'root', 'home', 'var/spool/mail']) await mkdir(join(root, dir), { recursive: true });
  await mkdir(join(root, 'tmp'), { recursive: true });
  await chmod(join(root, 'tmp'), 0o1777);
  await chmod(join(root, 'root'), 0o700);
  await copyFile(join(workloadFiles, 'passwd'), join(root, 'etc/passwd'));
  await copyFile(join(workloadFiles, 'group'), join(root, 'etc/group'));
}

/** `1:1.35.0-4+deb12u1+b1` -> `1.35.0`: no epoch, no Debian revision. */
export function upstreamVersion(debVersion: string): string {
  return debVersion.replace(/^\d+:/, '').replace(/-[^-]*$/, '');
}

async function recipeKey(recipe: WorkloadRecipe): Promise<string> {
  return inputsHash([
    recipe.tag,
    recipe.packages.join(','),
    recipe.instructions.join('\n'),
    debian.suite,
    debian.mirror,
    sourceOf(import.meta.url),
    sourceOf(new URL('./rootfs.ts', import.meta.url).href),
    sourceOf(new URL('./debs.ts', import.meta.url).href),
    { dir: workloadFiles },
  ]);
}

/**
 * The workload images, each its own stage keyed by its own recipe: skipped when Docker already
 * has it with that key. Returns the tags and one key over all of them for the node stage.
 */
export async function buildWorkloadImages(cacheDir: string, progress: ProgressSink): Promise<{ tags: string[]; key: string; built: string[] }> {
  const keyed = await Promise.all(recipes.map(async (recipe) => ({ recipe, key: await recipeKey(recipe) })));
  const stale = [];
  for (const k of keyed) {
    if ((await imageLabel(k.recipe.tag, recipeLabel)) === k.key) progress({ scope, message: `${k.recipe.tag} is up to date`, state: 'done' });
    else stale.push(k);
  }
  const key = await inputsHash(keyed.map((k) => `${k.recipe.tag}=${k.key}`));
  if (stale.length === 0) return { tags: [...workloadImageTags], key, built: [] };
  const work = await workDir(cacheDir, 'workload');
  try {
    // One download for every stale image: debootstrap resolves the whole minbase set each time.
    const packages = [...new Set(stale.flatMap((k) => k.recipe.packages))];
    progress({ scope, message: `downloading ${packages.join(', ')}`, state: 'start' });
    const debs = await downloadDebs(cacheDir, join(work.path, 'download'), packages);
    for (const { recipe, key: recipeKey } of stale) {
      const deb = (name: string): DebFile => debs[name] as DebFile;
      checkTag(recipe, deb(recipe.versionOf).version);
      const root = join(work.path, recipe.tag.replace(/[^a-z0-9]/g, '-'));
      await mkdir(root, { recursive: true });
      for (const name of recipe.packages) await dpkgDeb(['-x', deb(name).path, root]);
      for (const path of unused) await rm(join(root, path), { recursive: true, force: true });
      await recipe.finish(root);
      progress({ scope, message: `importing ${recipe.tag} (Debian ${recipe.versionOf} ${deb(recipe.versionOf).version})`, state: 'update' });
      await importRootfs(root, recipe.tag, recipeKey, [
        ...recipe.instructions,
        `LABEL org.opencontainers.image.version=${JSON.stringify(deb(recipe.versionOf).version)}`,
      ]);
      await rm(root, { recursive: true, force: true });
    }
    progress({ scope, message: `built ${stale.map((k) => k.recipe.tag).join(', ')}`, state: 'done' });
    return { tags: [...workloadImageTags], key, built: stale.map((k) => k.recipe.tag) };
  } finally {
    await work.cleanup();
  }
}

/** The tag must name the version Debian ships: `busybox:1.35` for busybox-static 1:1.35.0-4. */
function checkTag(recipe: WorkloadRecipe, debVersion: string): void {
  const version = upstreamVersion(debVersion);
  const tagVersion = recipe.tag.split(':')[1] ?? '';
  if (!`${version}.`.startsWith(`${tagVersion}.`)) {
    throw new KubexamError(
      'NODE_IMAGE_VERSION_MISMATCH',
      `Debian ${debian.suite} now ships ${recipe.versionOf} ${version}, but the image is tagged ${recipe.tag}; ` +
        'change the tag in server/node-image/workload-images.ts (and the labs that name it) to the version Debian ships',
    );
  }
}
