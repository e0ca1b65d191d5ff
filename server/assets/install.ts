import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { KubexamError, describeError } from '../errors.ts';
import { go } from '../exec/go.ts';
import { run } from '../exec/run.ts';
import type { ProgressSink } from '../progress.ts';
import { catalog, assetSets, type AssetSetName, type AssetSpec } from './catalog.ts';
import { downloadVerified } from './download.ts';
import { buildGroup, requireGo } from './go-build.ts';
import { AssetStore, sha256File, type Manifest, type ManifestEntry } from './store.ts';

/** Absolute paths of installed assets by name (`kubectl` -> `/home/.../kubectl`). */
export type AssetPaths = Record<string, string>;

export interface EnsureOptions {
  config: Config;
  sets?: readonly AssetSetName[];
  progress: ProgressSink;
  /** Re-hash every file even when its identity is unchanged. */
  deep?: boolean;
}

const scope = 'assets';

/**
 * Makes sure every asset of the requested sets is in the cache, verified, and at its pinned
 * version. Sources, in order: a file already present whose checksum matches the manifest; an
 * official release download checked against its published sha256; a build from the Go module
 * proxy. Returns their paths.
 */
export async function ensureAssets({ config, sets = ['kwok'], progress, deep = false }: EnsureOptions): Promise<AssetPaths> {
  const store = new AssetStore(config.cacheDir);
  const wanted = [...new Set(sets.flatMap((s) => assetSets[s]))].map(specByName);
  const manifest = await store.readManifest();
  const checks = await Promise.all(wanted.map(async (spec) => [spec, await store.isVerified(spec, manifest, deep)] as const));
  const missing = checks.filter(([, ok]) => !ok).map(([spec]) => spec);
  const paths = Object.fromEntries(wanted.map((spec) => [spec.name, store.pathFor(spec)]));
  if (store.identityRefreshed) await store.writeManifest(manifest);
  if (missing.length === 0) {
    progress({ scope, message: `${wanted.length} assets present and verified`, state: 'done' });
    return paths;
  }
  progress({ scope, message: `installing ${missing.map((s) => s.name).join(', ')}`, state: 'start' });
  const groups = new Map<string, AssetSpec[]>();
  for (const spec of missing) groups.set(spec.group, [...(groups.get(spec.group) ?? []), spec]);
  let goChecked = false;
  // One unreachable release host is enough to know: build the rest without asking again.
  let releasesReachable = true;
  for (const [group, specs] of groups) {
    const toBuild: AssetSpec[] = [];
    for (const spec of specs) {
      if (await adoptExisting(store, spec, manifest)) continue;
      if (spec.releasePath && releasesReachable) {
        if (await tryRelease(store, spec, config, progress, manifest)) continue;
        releasesReachable = false;
      }
      toBuild.push(spec);
    }
    if (toBuild.length === 0) continue;
    if (!goChecked) {
      await requireGo();
      goChecked = true;
    }
    progress({ scope, message: `building ${group} v${toBuild[0]?.version} from the Go module proxy`, state: 'update' });
    await buildGroup(toBuild, {
      buildRoot: join(config.cacheDir, 'build'),
      outDir: store.dirFor(toBuild[0] as AssetSpec),
      progress,
      scope,
    });
    for (const spec of toBuild) manifest[spec.name] = await verifyInstalled(store, spec, 'build');
    await store.writeManifest(manifest);
  }
  progress({ scope, message: `installed ${missing.length} assets into ${store.root}`, state: 'done' });
  return paths;
}

function specByName(name: string): AssetSpec {
  const spec = catalog.find((a) => a.name === name);
  if (!spec) throw new KubexamError('ASSET_UNKNOWN', `no asset named ${name} in server/assets/catalog.ts`);
  return spec;
}

/** A binary already in place (say, copied in by hand) is accepted if it reports the right version. */
async function adoptExisting(store: AssetStore, spec: AssetSpec, manifest: Manifest): Promise<boolean> {
  if (!(await stat(store.pathFor(spec)).catch(() => undefined))) return false;
  try {
    manifest[spec.name] = await verifyInstalled(store, spec, 'present');
    await store.writeManifest(manifest);
    return true;
  } catch {
    return false;
  }
}

async function tryRelease(store: AssetStore, spec: AssetSpec, config: Config, progress: ProgressSink, manifest: Manifest): Promise<boolean> {
  const url = `${config.releaseBaseUrl.replace(/\/$/, '')}/${spec.releasePath}`;
  try {
    progress({ scope, message: `downloading ${spec.name} v${spec.version}`, state: 'update' });
    await mkdir(store.dirFor(spec), { recursive: true });
    await downloadVerified(url, store.pathFor(spec), config.downloadTimeoutSeconds * 1000, progress, scope);
    manifest[spec.name] = await verifyInstalled(store, spec, 'release');
    await store.writeManifest(manifest);
    return true;
  } catch (error) {
    progress({ scope, message: `release download of ${spec.name} unavailable (${describeError(error)}); building instead`, state: 'update' });
    return false;
  }
}

/** Runs the binary's version command and records its checksum; throws if the version is wrong. */
export async function verifyInstalled(store: AssetStore, spec: AssetSpec, source: ManifestEntry['source']): Promise<ManifestEntry> {
  const path = store.pathFor(spec);
  const output = await versionOutput(path, spec);
  if (!spec.versionPattern.test(output)) {
    throw new KubexamError(
      'ASSET_VERSION_MISMATCH',
      `${path} is not version ${spec.version} (it says "${output.trim().split('\n')[0]}"); delete it and run \`kubexam assets\` again`,
    );
  }
  const sha256 = await sha256File(path);
  const info = await stat(path);
  return { version: spec.version, sha256, size: info.size, source, installedAt: new Date().toISOString(), mtimeMs: info.mtimeMs, ino: info.ino };
}

async function versionOutput(path: string, spec: AssetSpec): Promise<string> {
  if (spec.versionArgs === 'data') return readFile(path, 'utf8');
  if (spec.versionArgs === 'go-buildinfo') return (await go(['version', '-m', path])).stdout;
  const { stdout, stderr } = await run(path, spec.versionArgs, 'ASSET_VERSION_CHECK_FAILED', { allowFailure: true, timeoutMs: 30_000 });
  return `${stdout}\n${stderr}`;
}
