import { spawn } from 'node:child_process';
import { dirname, delimiter } from 'node:path';
import { KubeClient } from '../../graders/kube.ts';
import { renderText } from '../../graders/reporters/text.ts';
import { openProvider } from '../clusters/index.ts';
import { ensureAssets } from '../assets/install.ts';
import type { Config } from '../config.ts';
import { KubexamError } from '../errors.ts';
import { gradeExamReport } from '../labs/grade.ts';
import { prepareLab, requireCapabilities, setupLab, solveLab, type PreparedLab } from '../labs/lab-run.ts';
import { newSeed } from '../labs/params.ts';
import { findExam, loadStrictLibrary, searchPaths } from '../labs/select.ts';
import type { ProgressSink } from '../progress.ts';

export interface DemoOptions {
  exam: string;
  path?: string[];
  seed?: string;
  keep?: boolean;
  interactive: boolean;
  config: Config;
  progress: ProgressSink;
}

/**
 * The exam on the command line: one kwok cluster for every task (as in the real exam, tasks
 * share a cluster and each works in its own namespace), the task list, a shell with kubectl,
 * and the graded result when the shell exits. Returns the exit code (0 passed, 1 failed).
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const { config, progress } = options;
  const library = await loadStrictLibrary(searchPaths(options.path, [options.exam]));
  const exam = await findExam(library, options.exam);
  const labs = exam.value.tasks.map((id) => {
    const loaded = library.labs.get(id);
    if (!loaded) throw new KubexamError('LAB_NOT_FOUND', `${exam.file}: task ${id} names no lab`);
    return loaded;
  });
  const seed = options.seed ?? newSeed();
  const provider = await openProvider('kwok', config, progress);
  for (const l of labs) requireCapabilities(l.value, provider, l.file);
  const assets = await ensureAssets({ config, sets: ['kwok'], progress: () => {} });
  const kubectlBinary = assets['kubectl'] as string;
  const workers = Math.max(...labs.map((l) => l.value.cluster.workers));
  const cluster = await provider.create({ name: `demo-${Date.now().toString(36)}`, controlPlanes: 1, workers }, progress);
  try {
    const kube = new KubeClient(cluster.kubeconfig);
    const ctx = { cluster, kube, kubectlBinary, progress };
    const prepared: PreparedLab[] = labs.map((l) => prepareLab(l, seed, cluster.nodes));
    for (const p of prepared) await setupLab(p, ctx);
    progress({ scope: 'demo', message: `${exam.value.metadata.title}: ${prepared.length} tasks ready (seed ${seed})`, state: 'done' });
    printTasks(exam.value.metadata.title, exam.value.metadata.durationMinutes, prepared, library);
    if (options.interactive) await candidateShell(cluster.kubeconfig, kubectlBinary);
    else for (const p of prepared) await solveLab(p, ctx);
    const report = await gradeExamReport(library, exam, { kubeconfigs: new Map([['*', cluster.kubeconfig]]), seed, budgetSeconds: 300, progress });
    process.stdout.write(renderText(report, { color: process.stdout.isTTY === true }));
    return report.passed ? 0 : 1;
  } finally {
    if (options.keep) process.stderr.write(`cluster kept: export KUBECONFIG=${cluster.kubeconfig}\n`);
    else await provider.delete(cluster.name);
  }
}

function printTasks(title: string, minutes: number, prepared: readonly PreparedLab[], library: Awaited<ReturnType<typeof loadStrictLibrary>>): void {
  const lines = [`\n=== ${title} (${minutes} minutes in the real exam) ===\n`];
  prepared.forEach((p, i) => {
    const m = p.lab.metadata;
    const domain = library.curricula.get(m.curriculum)?.value.domains.find((d) => d.id === m.domain)?.title ?? m.domain;
    lines.push(`--- Task ${i + 1}: ${m.title}  [${m.points} pts, ${domain}]`, p.lab.task.trim(), '');
  });
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The candidate's shell: kubectl on PATH and KUBECONFIG set; exiting it submits. */
function candidateShell(kubeconfig: string, kubectlBinary: string): Promise<void> {
  process.stdout.write('A shell opens with kubectl pointed at your cluster. Solve the tasks, then type `exit` to submit and grade.\n\n');
  return new Promise((resolve, reject) => {
    const shell = spawn(process.env['SHELL'] ?? 'bash', [], {
      stdio: 'inherit',
      env: { ...process.env, KUBECONFIG: kubeconfig, PATH: `${dirname(kubectlBinary)}${delimiter}${process.env['PATH'] ?? ''}`, PS1: 'candidate@kubexam:\\w$ ' },
    });
    shell.on('error', reject);
    shell.on('exit', () => resolve());
  });
}
