import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KubexamError } from '../errors.ts';
import { go } from '../exec/go.ts';
import type { ProgressSink } from '../progress.ts';
import type { AssetSpec, BuildRecipe } from './catalog.ts';
import { stagingVersion, versions } from './versions.ts';

/** Checks that a Go toolchain new enough for the pinned modules is installed. */
export async function requireGo(): Promise<string> {
  const { stdout } = await go(['env', 'GOVERSION']);
  const have = stdout.trim().replace(/^go/, '');
  if (compareVersions(have, versions.minimumGo) < 0) {
    throw new KubexamError(
      'GO_TOO_OLD',
      `Go ${have} is too old to build Kubernetes ${versions.kubernetes}; install Go ${versions.minimumGo} or newer and run \`kubexam assets\` again`,
    );
  }
  return have;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

interface BuildContext {
  /** Scratch space for wrapper modules, `<cacheDir>/build`. */
  buildRoot: string;
  /** Where finished binaries go. */
  outDir: string;
  progress: ProgressSink;
  scope: string;
}

const goEnv = { CGO_ENABLED: '0', GOFLAGS: '-mod=mod' };

/**
 * Builds every asset in `specs` (all of one group, so one recipe kind) into `ctx.outDir`.
 * Kubernetes commands are built in one `go build` so that shared packages compile once.
 */
export async function buildGroup(specs: readonly AssetSpec[], ctx: BuildContext): Promise<void> {
  const first = specs[0];
  if (!first) return;
  await mkdir(ctx.outDir, { recursive: true });
  const recipe = first.build;
  switch (recipe.kind) {
    case 'kubernetes':
      return buildKubernetes(specs, ctx);
    case 'wrapper':
      // One wrapper module per command (etcd, etcdctl, etcdutl); the Go build cache shares the rest.
      for (const spec of specs) if (spec.build.kind === 'wrapper') await buildWrapper(spec, spec.build, ctx);
      return;
    case 'install':
    case 'module-files':
      for (const spec of specs) {
        if (spec.build.kind === 'install') await goInstall(spec, spec.build, ctx);
        if (spec.build.kind === 'module-files') await copyModuleFiles(spec, spec.build, ctx);
      }
  }
}

function kubernetesLdflags(commit: string): string {
  const v = versions.kubernetes;
  const [major, minor] = v.split('.');
  const flags = ['-s', '-w'];
  for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
    flags.push(
      `-X ${pkg}.gitVersion=v${v}`,
      `-X ${pkg}.gitMajor=${major}`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
      `-X ${pkg}.gitCommit=${commit}`,
      `-X ${pkg}.buildDate=1970-01-01T00:00:00Z`,
    );
  }
  return flags.join(' ');
}

async function buildKubernetes(specs: readonly AssetSpec[], ctx: BuildContext): Promise<void> {
  const v = versions.kubernetes;
  const dir = join(ctx.buildRoot, `kubernetes-v${v}`);
  await mkdir(dir, { recursive: true });
  ctx.progress({ scope: ctx.scope, message: `resolving k8s.io/kubernetes v${v} from the Go module proxy`, state: 'update' });
  const info = JSON.parse((await go(['mod', 'download', '-json', `k8s.io/kubernetes@v${v}`], { cwd: dir })).stdout) as {
    GoMod: string;
    Origin?: { Hash?: string };
  };
  const upstreamMod = await readFile(info.GoMod, 'utf8');
  // Every staging repo k8s.io/kubernetes replaces with a local path must come from the proxy
  // at its published v0.Y.Z tag instead.
  const staging = [...upstreamMod.matchAll(/^\s*(k8s\.io\/[\w.-]+)\s+=>\s+\.\/staging\//gm)].map((m) => m[1] as string);
  const lines = [
    'module kubexam.local/kubernetes-build',
    '',
    'go 1.24.0',
    '',
    `require k8s.io/kubernetes v${v}`,
    '',
    'replace (',
    ...staging.map((m) => `\t${m} => ${m} ${stagingVersion(v)}`),
    ')',
    '',
  ];
  await writeFile(join(dir, 'go.mod'), lines.join('\n'));
  await goBuild(dir, specs.map((s) => (s.build as Extract<BuildRecipe, { kind: 'kubernetes' }>).pkg), kubernetesLdflags(info.Origin?.Hash ?? ''), ctx);
}

async function buildWrapper(spec: AssetSpec, recipe: Extract<BuildRecipe, { kind: 'wrapper' }>, ctx: BuildContext): Promise<void> {
  const dir = join(ctx.buildRoot, `${spec.name}-v${spec.version}`);
  await mkdir(dir, { recursive: true });
  const lines = [
    `module kubexam.local/${spec.name}-build`,
    '',
    'go 1.24.0',
    '',
    `require ${recipe.module} ${recipe.version}`,
    '',
    'replace (',
    ...recipe.replaces.map((m) => `\t${m} => ${m} ${recipe.version}`),
    ')',
    '',
  ];
  await writeFile(join(dir, 'go.mod'), lines.join('\n'));
  if (recipe.sums) {
    // The pinned lines verify the module's zip; its own go.sum then vouches for its dependencies.
    await writeFile(join(dir, 'go.sum'), `${recipe.sums.join('\n')}\n`);
    const { stdout } = await go(['mod', 'download', '-json', `${recipe.module}@${recipe.version}`], { cwd: dir, env: goEnv });
    const { Dir } = JSON.parse(stdout) as { Dir: string };
    await appendFile(join(dir, 'go.sum'), await readFile(join(Dir, 'go.sum'), 'utf8'));
  }
  await goBuild(dir, [recipe.pkg], '-s -w', ctx, spec.name);
}

async function goBuild(dir: string, pkgs: readonly string[], ldflags: string, ctx: BuildContext, outName?: string): Promise<void> {
  const started = Date.now();
  let compiled = 0;
  ctx.progress({ scope: ctx.scope, message: `go build ${outName ?? pkgs.map((p) => p.split('/').pop()).join(' ')} (a cold build takes minutes)`, state: 'update' });
  const out = outName ? join(ctx.outDir, outName) : `${ctx.outDir}/`;
  await go(['build', '-v', '-trimpath', '-ldflags', ldflags, '-o', out, ...pkgs], {
    cwd: dir,
    env: goEnv,
    onStderrLine: (line) => {
      if (line.startsWith('go: ') || line.includes(' ')) return;
      compiled++;
      if (compiled % 25 === 0) {
        const seconds = Math.round((Date.now() - started) / 1000);
        ctx.progress({ scope: ctx.scope, message: `go build: ${compiled} packages compiled, ${seconds}s`, state: 'update' });
      }
    },
  });
}

async function goInstall(spec: AssetSpec, recipe: Extract<BuildRecipe, { kind: 'install' }>, ctx: BuildContext): Promise<void> {
  const gobin = join(ctx.buildRoot, `gobin-${spec.name}`);
  await mkdir(gobin, { recursive: true });
  ctx.progress({ scope: ctx.scope, message: `go install ${recipe.pkg}@${recipe.version}`, state: 'update' });
  const args = ['install', '-trimpath', '-ldflags', `-s -w ${recipe.ldflags ?? ''}`.trim(), `${recipe.pkg}@${recipe.version}`];
  await go(args, { cwd: ctx.buildRoot, env: { CGO_ENABLED: '0', GOBIN: gobin } });
  const built = recipe.pkg.split('/').pop() as string;
  await rename(join(gobin, built), join(ctx.outDir, spec.name));
}

async function copyModuleFiles(spec: AssetSpec, recipe: Extract<BuildRecipe, { kind: 'module-files' }>, ctx: BuildContext): Promise<void> {
  ctx.progress({ scope: ctx.scope, message: `extracting ${spec.name} from ${recipe.module}@${recipe.version}`, state: 'update' });
  const { stdout } = await go(['mod', 'download', '-json', `${recipe.module}@${recipe.version}`], { cwd: ctx.buildRoot });
  const { Dir } = JSON.parse(stdout) as { Dir: string };
  const docs = await Promise.all(recipe.files.map(async (file) => `# from ${recipe.module}@${recipe.version}/${file}\n${(await readFile(join(Dir, file), 'utf8')).trim()}\n`));
  await writeFile(join(ctx.outDir, spec.name), docs.join('---\n'));
}
