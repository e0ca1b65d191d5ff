import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GradeReport } from '../graders/types.ts';
import { run } from '../server/exec/run.ts';
import { compare, type Agreement } from './agreement.ts';
import type { BenchEnv } from './bench-env.ts';
import { ExamOnCluster, examWorkers, withoutCustomGraders, type LoadedExamTasks } from './exam-session.ts';
import { translateChecks, type LeftOut, type ShellCheck } from './shell-grader.ts';
import { ShellGrader } from './shell-run.ts';
import { summarize, timed, type Summary } from './stats.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export interface ExamBenchOptions {
  seed: string;
  /** In-process gradings of the solved cluster (measurement 2). */
  inProcessRuns: number;
  /** Rounds of shell, kubexam in-process and CLI (measurement 3; the CLI times serve 2 as well). */
  rounds: number;
  /** Where the generated shell grader is written (kept after the run, for reading). */
  shellDir: string;
  log: (message: string) => void;
}

export interface CliRun {
  ms: number;
  exitCode: number;
}

export interface ExamBenchResult {
  exam: string;
  tasks: number;
  workers: number;
  seed: string;
  setupMs: number;
  solveMs: number;
  unsolved: { ms: number; report: GradeReport; shellMs: number; agreement: Agreement };
  /** The first grading after the solutions: it also waits for rollouts to finish. */
  settle: { ms: number; report: GradeReport };
  solved: { ms: Summary; reports: GradeReport[] };
  shell: {
    checks: ShellCheck[];
    leftOut: LeftOut[];
    dir: string;
    kubectlProcesses: number;
    agreement: Agreement;
    /** Disagreements per timed round (each round's shell run against that round's kubexam run). */
    roundDisagreements: number[];
    ms: Summary;
    kubexamMs: Summary;
    cliMs: Summary;
    cliRuns: CliRun[];
  };
}

/**
 * Measurements 2 and 3 on one cluster: set up every task, grade the unsolved state (kubexam
 * and shell), apply every solution, let a first grading wait for the rollouts, then time
 * in-process grading, the shell grader and the CLI on the settled, solved cluster.
 */
export async function benchExam(env: BenchEnv, tasks: LoadedExamTasks, o: ExamBenchOptions): Promise<ExamBenchResult> {
  const workers = examWorkers(tasks);
  const id = tasks.exam.value.metadata.id;
  o.log(`exam ${id}: creating a cluster with ${workers} workers`);
  return env.withCluster(`bench-exam-${process.pid}`, workers, async (cluster) => {
    const session = new ExamOnCluster(tasks, cluster, o.seed, env);
    const translated = session.prepared.map((p) => translateChecks(p.lab.metadata.id, p.lab.checks));
    const checks = translated.flatMap((t) => t.scripts);
    const leftOut = translated.flatMap((t) => t.leftOut);
    const primitives = new Map(checks.map((c) => [c.key, c.primitive]));
    const shell = await ShellGrader.write(o.shellDir, checks, env.kubectl, join(env.config.dataDir, 'kube-cache'));
    const filtered = withoutCustomGraders(tasks.library).library;

    o.log(`exam ${id}: setting up ${session.prepared.length} tasks`);
    const setup = await timed(() => session.setup());
    o.log('unsolved: shell grader, then kubexam (which waits out the check timeouts)');
    await shell.run(cluster.kubeconfig, true); // warms kubectl's discovery cache, untimed
    const shellUnsolved = await timed(() => shell.run(cluster.kubeconfig));
    const unsolved = await timed(() => session.grade());
    const unsolvedAgreement = await withVerdictsOfSkipped(compare(unsolved.value, shellUnsolved.value.results, primitives), session);

    o.log('applying every solution');
    const solve = await timed(() => session.solve());
    o.log('first grading after the solutions (waits for rollouts)');
    const settle = await timed(() => session.grade());
    const solved: { ms: number; report: GradeReport }[] = [];
    for (let i = 1; i <= o.inProcessRuns; i++) {
      o.log(`gradeExamReport in-process ${i}/${o.inProcessRuns}`);
      const r = await timed(() => session.grade());
      solved.push({ ms: r.ms, report: r.value });
    }

    o.log('shell grader, counting kubectl processes');
    const counted = await shell.run(cluster.kubeconfig, true);
    const agreement = await withVerdictsOfSkipped(compare(await session.grade(filtered), counted.results, primitives), session);
    const shellMs: number[] = [];
    const kubexamMs: number[] = [];
    const cliRuns: CliRun[] = [];
    const roundDisagreements: number[] = [];
    for (let i = 1; i <= o.rounds; i++) {
      o.log(`round ${i}/${o.rounds}: shell, kubexam in-process, kubexam CLI`);
      const s = await timed(() => shell.run(cluster.kubeconfig));
      const k = await timed(() => session.grade(filtered));
      shellMs.push(s.ms);
      kubexamMs.push(k.ms);
      roundDisagreements.push(compare(k.value, s.value.results, primitives).disagreements.length);
      cliRuns.push(await gradeCli(tasks, cluster.kubeconfig, o.seed, env.config.dataDir));
    }
    return {
      exam: id,
      tasks: session.prepared.length,
      workers,
      seed: o.seed,
      setupMs: setup.ms,
      solveMs: solve.ms,
      unsolved: { ms: unsolved.ms, report: unsolved.value, shellMs: shellUnsolved.ms, agreement: unsolvedAgreement },
      settle: { ms: settle.ms, report: settle.value },
      solved: { ms: summarize(solved.map((s) => s.ms)), reports: solved.map((s) => s.report) },
      shell: {
        checks,
        leftOut,
        dir: o.shellDir,
        kubectlProcesses: counted.kubectlProcesses ?? 0,
        agreement,
        roundDisagreements,
        ms: summarize(shellMs),
        kubexamMs: summarize(kubexamMs),
        cliMs: summarize(cliRuns.map((c) => c.ms)),
        cliRuns,
      },
    };
  });
}

/** For a check kubexam skipped, what its primitive says when run once anyway: what the shell's pass stands for. */
async function withVerdictsOfSkipped(agreement: Agreement, session: ExamOnCluster): Promise<Agreement> {
  for (const d of agreement.disagreements) {
    if (!d.kubexam.startsWith('skipped')) continue;
    const outcome = await session.evaluateOnce(d.key).catch((e: unknown) => ({ status: 'error', message: String(e) }));
    if (outcome) d.anyway = `${outcome.status}: ${outcome.message ?? ''}`;
  }
  return agreement;
}

/** `node bin/kubexam.js grade --exam ID --kubeconfig F --seed S`, timed from spawn to exit. */
async function gradeCli(tasks: LoadedExamTasks, kubeconfig: string, seed: string, dataDir: string): Promise<CliRun> {
  const args = ['bin/kubexam.js', 'grade', '--exam', tasks.exam.value.metadata.id, '--kubeconfig', kubeconfig, '--seed', seed, ...(tasks.paths ? ['--path', ...tasks.paths] : [])];
  const r = await timed(() => run(process.execPath, args, 'BENCH_CLI_FAILED', { cwd: repoRoot, allowFailure: true, timeoutMs: 600_000, env: { KUBEXAM_DATA_DIR: dataDir } }));
  return { ms: r.ms, exitCode: r.value.exitCode };
}
