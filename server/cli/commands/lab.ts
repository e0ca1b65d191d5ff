import { relative } from 'node:path';
import type { Command } from 'commander';
import { KubexamError } from '../../errors.ts';
import { formatIssue } from '../../labs/issues.ts';
import { globalConfig } from '../program.ts';
import { progressDisplay } from '../progress-display.ts';

export function registerLabCommand(program: Command): void {
  const lab = program.command('lab').description('validate labs and exams, set a lab up on a cluster, apply its solution');

  lab
    .command('validate')
    .description('check labs and exams: schema, check and fault names, requires, paths, templates, domain mix')
    .argument('[paths...]', 'lab files or folders (default: the built-in labs)')
    .action(async (paths: string[]) => {
      const { loadLibrary } = await import('../../labs/library.ts');
      const { searchPaths } = await import('../../labs/select.ts');
      const { validateExam, validateLab } = await import('../../labs/validate.ts');
      const { library, issues } = await loadLibrary(searchPaths(paths));
      for (const loaded of library.labs.values()) issues.push(...(await validateLab(loaded, library)));
      const out: string[] = [];
      for (const exam of library.exams.values()) {
        const { issues: examIssues, mix } = validateExam(exam, library);
        issues.push(...examIssues);
        out.push(`exam ${exam.value.metadata.id}: domain mix vs ${exam.value.metadata.curriculum} weights`);
        for (const d of mix) {
          const delta = d.share - d.weight;
          out.push(`  ${d.title.padEnd(58)} ${String(d.points).padStart(3)} pts  ${d.share.toFixed(1).padStart(5)}%  weight ${String(d.weight).padStart(3)}%  ${delta >= 0 ? '+' : ''}${delta.toFixed(1)}`);
        }
      }
      for (const issue of issues) out.push(formatIssue({ ...issue, file: relative(process.cwd(), issue.file) || issue.file }));
      out.push(`${library.labs.size} labs, ${library.exams.size} exams, ${library.curricula.size} curricula: ${issues.length === 0 ? 'all valid' : `${issues.length} problem(s)`}`);
      process.stdout.write(`${out.join('\n')}\n`);
      process.exitCode = issues.length === 0 ? 0 : 1;
    });

  lab
    .command('list')
    .description('list labs with their curriculum, domain and points')
    .option('--path <dirs...>', 'where to look (default: the built-in labs)')
    .action(async (opts: { path?: string[] }) => {
      const { loadStrictLibrary, searchPaths } = await import('../../labs/select.ts');
      const library = await loadStrictLibrary(searchPaths(opts.path));
      for (const l of library.labs.values()) {
        const m = l.value.metadata;
        process.stdout.write(`${m.id.padEnd(36)} ${m.curriculum.padEnd(6)} ${m.domain.padEnd(50)} ${String(m.points).padStart(3)} pts  ${l.value.cluster.requires.join(',') || '-'}\n`);
      }
    });

  for (const [name, description] of [
    ['setup', 'apply a lab\'s setup and faults to a cluster and print the task'],
    ['solve', 'apply a lab\'s solution to a cluster (for instructors and demos)'],
  ] as const) {
    lab
      .command(name)
      .description(description)
      .argument('<lab>', 'lab id, or path of its folder or lab.yaml')
      .requiredOption('--kubeconfig <file>', 'kubeconfig of the cluster')
      .option('--path <dirs...>', 'where to look for labs (default: the built-in labs)')
      .option('--seed <seed>', 'seed for the lab\'s params; grade with the same seed', 'kubexam')
      .action(async (labArg: string, opts: { kubeconfig: string; path?: string[]; seed: string }) => {
        const config = globalConfig();
        const progress = progressDisplay();
        const { ensureAssets } = await import('../../assets/install.ts');
        const { KubeClient } = await import('../../../graders/kube.ts');
        const { describeExternalCluster } = await import('../../labs/external-cluster.ts');
        const { prepareLab, setupLab, solveLab } = await import('../../labs/lab-run.ts');
        const { findLab, loadStrictLibrary, searchPaths } = await import('../../labs/select.ts');
        const action = name === 'setup' ? setupLab : solveLab;
        const assets = await ensureAssets({ config, sets: ['kwok'], progress });
        const library = await loadStrictLibrary(searchPaths(opts.path, [labArg]));
        const loaded = await findLab(library, labArg);
        const kube = new KubeClient(opts.kubeconfig);
        const cluster = await describeExternalCluster(kube, opts.kubeconfig);
        const prepared = prepareLab(loaded, opts.seed, cluster.nodes);
        if (cluster.provider === 'kwok' && loaded.value.cluster.requires.length > 0) {
          throw new KubexamError('CAPABILITY_MISSING', `lab ${loaded.value.metadata.id} requires ${loaded.value.cluster.requires.join(', ')}, which this kwok cluster lacks`);
        }
        await action(prepared, { cluster, kube, kubectlBinary: assets['kubectl'] as string, progress });
        progress({ scope: `lab/${loaded.value.metadata.id}`, message: `${name} done (seed ${opts.seed})`, state: 'done' });
        if (name === 'setup') process.stdout.write(`\n# ${prepared.lab.metadata.title}\n\n${prepared.lab.task.trim()}\n`);
      });
  }
}
