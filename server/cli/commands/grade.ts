import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { ReportFormat } from '../../../graders/reporters/index.ts';
import type { NodeAccess } from '../../clusters/node-access.ts';
import type { ClusterInfo } from '../../clusters/provider.ts';
import type { Config } from '../../config.ts';
import { KubexamError } from '../../errors.ts';
import type { ProgressSink } from '../../progress.ts';
import { intOption } from '../options.ts';
import { globalConfig } from '../program.ts';
import { progressDisplay } from '../progress-display.ts';

const formats: readonly ReportFormat[] = ['text', 'json', 'junit'];

/** `--kubeconfig FILE` (`--cluster NAME`) for every cluster, or `group=FILE` (`group=NAME`) per exam cluster group. */
function groupMap(values: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq > 0 && !v.slice(0, eq).includes('/')) map.set(v.slice(0, eq), v.slice(eq + 1));
    else map.set('*', v);
  }
  return map;
}

export function registerGradeCommand(program: Command): void {
  program
    .command('grade')
    .description('grade a live cluster against a lab or an exam; exit 0 passed, 1 failed, 2 could not grade')
    .option('--lab <lab>', 'lab id, or path of its folder or lab.yaml')
    .option('--exam <exam>', 'exam id or path')
    .option('--kubeconfig <file...>', 'kubeconfig of the cluster (or group=FILE per exam cluster group)')
    .option('--cluster <name...>', 'a cluster kubexam made, by name (or group=NAME): node checks get a shell on its nodes')
    .option('--path <dirs...>', 'where to look for labs and exams (default: the built-in labs)')
    .option('--seed <seed>', 'the seed the lab was set up with (params depend on it)', 'kubexam')
    .option('--format <format>', `report format: ${formats.join(', ')}`, 'text')
    .option('--out <file>', 'write the report to a file instead of stdout')
    .option('--budget <seconds>', 'overall time limit for grading', intOption, 300)
    .option('--pass-percent <n>', 'pass mark for a single lab', intOption, 100)
    .action(async (opts: { lab?: string; exam?: string; kubeconfig?: string[]; cluster?: string[]; path?: string[]; seed: string; format: string; out?: string; budget: number; passPercent: number }) => {
      if (Boolean(opts.lab) === Boolean(opts.exam)) throw new KubexamError('GRADE_TARGET', 'give exactly one of --lab or --exam');
      if (!formats.includes(opts.format as ReportFormat)) throw new KubexamError('FORMAT_UNKNOWN', `unknown format "${opts.format}"; choose ${formats.join(', ')}`);
      if (Boolean(opts.kubeconfig) === Boolean(opts.cluster)) {
        throw new KubexamError('GRADE_TARGET', 'give exactly one of --kubeconfig FILE or --cluster NAME (kubexam cluster list shows the names)');
      }
      const config = globalConfig();
      // Loaded here, not at the top: the Kubernetes client takes a second to load, and
      // `kubexam --help` or `kubexam assets` should not wait for it.
      const { gradeExamReport, gradeLabReport } = await import('../../labs/grade.ts');
      const { findExam, findLab, loadStrictLibrary, searchPaths } = await import('../../labs/select.ts');
      const { renderReport } = await import('../../../graders/reporters/index.ts');
      const progress = progressDisplay();
      const target = (opts.lab ?? opts.exam) as string;
      const library = await loadStrictLibrary(searchPaths(opts.path, [target]));
      const { kubeconfigs, nodes } = await clusterAccess(config, opts.kubeconfig, opts.cluster, progress);
      const base = { kubeconfigs, nodes, seed: opts.seed, budgetSeconds: opts.budget, progress };
      const report = opts.lab
        ? await gradeLabReport(library, await findLab(library, opts.lab), { ...base, passPercent: opts.passPercent })
        : await gradeExamReport(library, await findExam(library, target), base);
      const text = renderReport(report, opts.format as ReportFormat, { color: !opts.out && process.stdout.isTTY === true });
      if (opts.out) await writeFile(opts.out, text);
      else process.stdout.write(text);
      process.exitCode = report.incomplete ? 2 : report.passed ? 0 : 1;
    });
}

/**
 * Kubeconfig and node access per cluster group. Node checks need a shell on the nodes, which
 * only a cluster kubexam made on kind gives: named with --cluster, or found by its kubeconfig
 * among the recorded clusters. Any other kubeconfig grades without node access (node checks
 * are `error`, saying how to give it).
 */
async function clusterAccess(config: Config, kubeconfigs: readonly string[] | undefined, clusters: readonly string[] | undefined, progress: ProgressSink) {
  const { recordedCluster, recordedClusterOf, recordedNodeAccess } = await import('../../clusters/recorded.ts');
  const files = new Map<string, string>();
  const nodes = new Map<string, NodeAccess>();
  for (const [group, value] of groupMap(kubeconfigs ?? clusters ?? [])) {
    const info = clusters ? await recordedCluster(config, value) : await recordedClusterOf(config, value);
    files.set(group, clusters ? (info as ClusterInfo).kubeconfig : value);
    const access = info ? await recordedNodeAccess(config, info, progress) : undefined;
    if (access) nodes.set(group, access);
  }
  return { kubeconfigs: files, nodes };
}
