import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { KubexamError } from '../../errors.ts';
import { intOption } from '../options.ts';
import { globalConfig } from '../program.ts';
import { progressDisplay } from '../progress-display.ts';

export function registerTestCommand(program: Command): void {
  program
    .command('test')
    .description('author-test labs: provision, set up, expect no check to pass, solve, expect full marks, tear down')
    .argument('[paths...]', 'lab folders or files (default: the built-in labs)')
    .option('--provider <provider>', 'cluster provider', 'kwok')
    .option('--seed <seed>', 'seed for the labs\' params (default: a new random seed, printed)')
    .option('--parallel <n>', 'labs tested at the same time', intOption, 3)
    .option('--budget <seconds>', 'grading time limit per pass', intOption, 120)
    .option('--junit <file>', 'also write a JUnit XML report')
    .option('--keep', 'keep the clusters for inspection')
    .action(async (paths: string[], opts: { provider: string; seed?: string; parallel: number; budget: number; junit?: string; keep?: boolean }) => {
      const config = globalConfig();
      const progress = progressDisplay();
      const started = Date.now();
      const { openProvider } = await import('../../clusters/index.ts');
      const { ensureAssets } = await import('../../assets/install.ts');
      const { inParallel, testLab } = await import('../../labs/author-test.ts');
      const { renderTestJunit } = await import('../../labs/author-test-junit.ts');
      const { newSeed } = await import('../../labs/params.ts');
      const { loadStrictLibrary, searchPaths } = await import('../../labs/select.ts');
      const library = await loadStrictLibrary(searchPaths(paths));
      const labs = [...library.labs.values()];
      if (labs.length === 0) throw new KubexamError('LAB_NOT_FOUND', `no labs under ${paths.join(', ') || 'the built-in labs'}`);
      const seed = opts.seed ?? newSeed();
      progress({ scope: 'test', message: `testing ${labs.length} lab(s) on ${opts.provider} with seed ${seed}`, state: 'start' });
      const provider = await openProvider(opts.provider, config, progress);
      const assets = await ensureAssets({ config, sets: ['kwok'], progress: () => {} });
      const results = await inParallel(labs, opts.parallel, (loaded) =>
        testLab(loaded, library, { provider, kubectlBinary: assets['kubectl'] as string, seed, budgetSeconds: opts.budget, keepCluster: Boolean(opts.keep), progress }),
      );
      const failed = results.filter((r) => r.problems.length > 0);
      for (const r of results) {
        process.stdout.write(`${r.problems.length === 0 ? 'PASS' : 'FAIL'}  ${r.labId.padEnd(40)} ${(r.durationMs / 1000).toFixed(1).padStart(6)} s\n`);
        for (const p of r.problems) process.stdout.write(`      ${p}\n`);
      }
      process.stdout.write(`\nlabs: ${results.length - failed.length} passed, ${failed.length} failed (seed ${seed}, ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
      if (opts.junit) await writeFile(opts.junit, renderTestJunit(results, Date.now() - started));
      process.exitCode = failed.length === 0 ? 0 : 1;
    });
}
