import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { KubexamError, describeError } from '../../errors.ts';
import type { ClusterProvider, ProviderName } from '../../clusters/provider.ts';
import { intOption } from '../options.ts';
import { globalConfig } from '../program.ts';
import { progressDisplay } from '../progress-display.ts';

interface TestOptions {
  provider?: string;
  only?: string;
  param: string[];
  seed?: string;
  parallel: number;
  budget: number;
  junit?: string;
  keep?: boolean;
}

export function registerTestCommand(program: Command): void {
  program
    .command('test')
    .description('author-test labs: provision, set up, expect no check to pass, solve, expect full marks, tear down')
    .argument('[paths...]', 'lab folders or files (default: the built-in labs)')
    .option('--provider <provider>', 'test every lab on this provider; a lab needing what it lacks fails (default: per lab, the lightest provider with the capabilities it requires: kwok, else kind)')
    .option('--only <provider>', 'test only the labs whose lightest provider is this one; the others are listed as left out')
    .option('--param <name=value>', 'use this value for the param instead of drawing it; repeat a name to test the lab once per value', (v: string, all: string[]) => [...all, v], [])
    .option('--seed <seed>', 'seed for the labs\' params (default: a new random seed, printed)')
    .option('--parallel <n>', 'labs tested at the same time', intOption, 3)
    .option('--budget <seconds>', 'grading time limit per pass', intOption, 120)
    .option('--junit <file>', 'also write a JUnit XML report')
    .option('--keep', 'keep the clusters for inspection')
    .action(async (paths: string[], opts: TestOptions) => {
      const config = globalConfig();
      const progress = progressDisplay();
      const started = Date.now();
      const { openProvider, providerNames } = await import('../../clusters/index.ts');
      const { ensureAssets } = await import('../../assets/install.ts');
      const { inParallel, testLab, testLabel, untestable } = await import('../../labs/author-test.ts');
      const { renderTestJunit } = await import('../../labs/author-test-junit.ts');
      const { newSeed } = await import('../../labs/params.ts');
      const { loadStrictLibrary, searchPaths } = await import('../../labs/select.ts');
      const { parseParamFlags, planTests } = await import('../../labs/test-plan.ts');
      const providerName = (flag: string, value: string | undefined): ProviderName | undefined => {
        if (value === undefined) return undefined;
        if ((providerNames as readonly string[]).includes(value)) return value as ProviderName;
        throw new KubexamError('PROVIDER_UNKNOWN', `${flag} ${value}: unknown provider; choose one of ${providerNames.join(', ')}`);
      };
      const forced = providerName('--provider', opts.provider);
      const only = providerName('--only', opts.only);
      const library = await loadStrictLibrary(searchPaths(paths));
      const labs = [...library.labs.values()];
      if (labs.length === 0) throw new KubexamError('LAB_NOT_FOUND', `no labs under ${paths.join(', ') || 'the built-in labs'}`);
      const seed = opts.seed ?? newSeed();

      // Providers open once, and only when a lab needs them (kind wants Docker, kwok does not).
      const opened = new Map<ProviderName, Promise<ClusterProvider>>();
      const open = (name: ProviderName) => {
        if (!opened.has(name)) opened.set(name, openProvider(name, config, progress));
        return opened.get(name) as Promise<ClusterProvider>;
      };
      const plan = await planTests(labs, {
        providers: providerNames,
        capabilitiesOf: async (name) => (await open(name)).capabilities,
        forced,
        only,
        params: parseParamFlags(opts.param),
      });
      for (const l of plan.leftOut) process.stdout.write(`left out  ${l.labId.padEnd(40)} ${l.reason} (--only ${only})\n`);
      if (plan.tests.length === 0) throw new KubexamError('LAB_NOT_FOUND', `no lab under ${paths.join(', ') || 'the built-in labs'} runs on ${only} as its lightest provider`);
      const where = forced ? `on ${forced}` : 'each on its lightest provider';
      progress({ scope: 'test', message: `testing ${plan.tests.length} lab run(s) ${where} with seed ${seed}`, state: 'start' });
      const assets = await ensureAssets({ config, sets: ['kwok'], progress: () => {} });
      if (plan.tests.some((t) => t.provider === 'kind' && t.problem === undefined)) {
        // Once, before the parallel runs: each kind create checks the image under a host lock,
        // and a build (minutes) would outlast the other runs' wait for that lock.
        const { ensureNodeImage } = await import('../../node-image/index.ts');
        // A failure here (no Docker) is reported by each kind run's own create.
        await ensureNodeImage(config, progress).catch(() => undefined);
      }
      const results = await inParallel(plan.tests, opts.parallel, async (t) => {
        if (t.problem !== undefined || t.provider === undefined) return untestable(t.loaded, seed, t.params, t.problem ?? 'no provider chosen');
        let provider: ClusterProvider;
        try {
          provider = await open(t.provider);
        } catch (error) {
          return untestable(t.loaded, seed, t.params, `the ${t.provider} provider cannot be opened: ${describeError(error)}`);
        }
        return testLab(t.loaded, library, { provider, kubectlBinary: assets['kubectl'] as string, seed, params: t.params, budgetSeconds: opts.budget, keepCluster: Boolean(opts.keep), progress });
      });
      const failed = results.filter((r) => r.problems.length > 0);
      for (const r of results) {
        process.stdout.write(`${r.problems.length === 0 ? 'PASS' : 'FAIL'}  ${testLabel(r).padEnd(40)} ${(r.provider ?? '-').padEnd(5)} ${(r.durationMs / 1000).toFixed(1).padStart(6)} s\n`);
        for (const p of r.problems) process.stdout.write(`      ${p}\n`);
      }
      process.stdout.write(`\nlabs: ${results.length - failed.length} passed, ${failed.length} failed (seed ${seed}, ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
      if (opts.junit) await writeFile(opts.junit, renderTestJunit(results, Date.now() - started));
      process.exitCode = failed.length === 0 ? 0 : 1;
    });
}
