import { resolve } from 'node:path';
import { primitives } from '../graders/checks/index.ts';
import { KubeClient } from '../graders/kube.ts';
import type { CheckOutcome, GradeReport } from '../graders/types.ts';
import type { ClusterInfo } from '../server/clusters/provider.ts';
import { KubexamError } from '../server/errors.ts';
import { gradeExamReport } from '../server/labs/grade.ts';
import { prepareLab, requireCapabilities, setupLab, solveLab, type LabClusterContext, type PreparedLab } from '../server/labs/lab-run.ts';
import type { Library } from '../server/labs/library.ts';
import type { LoadedExam, LoadedLab } from '../server/labs/load.ts';
import { findExam, loadStrictLibrary, searchPaths } from '../server/labs/select.ts';
import { silentProgress } from '../server/progress.ts';
import type { BenchEnv } from './bench-env.ts';

/** An exam loaded the way `kubexam grade --exam` loads it, with its tasks' labs in order. */
export interface LoadedExamTasks {
  library: Library;
  exam: LoadedExam;
  labs: LoadedLab[];
  /** Search paths, passed on to the CLI as `--path` when given. */
  paths: string[] | undefined;
}

export async function loadExamTasks(examArg: string, given: string[] | undefined): Promise<LoadedExamTasks> {
  const paths = given?.map((p) => resolve(p));
  const library = await loadStrictLibrary(searchPaths(paths, [examArg]));
  const exam = await findExam(library, examArg);
  const labs = exam.value.tasks.map((id) => {
    const loaded = library.labs.get(id);
    if (!loaded) throw new KubexamError('LAB_NOT_FOUND', `${exam.file}: task ${id} names no lab`);
    return loaded;
  });
  return { library, exam, labs, paths };
}

/** Every task on one cluster, as in the real exam (and `kubexam demo`). */
export class ExamOnCluster {
  readonly prepared: PreparedLab[];
  private readonly ctx: LabClusterContext;

  constructor(
    readonly tasks: LoadedExamTasks,
    readonly cluster: ClusterInfo,
    readonly seed: string,
    env: BenchEnv,
  ) {
    for (const l of tasks.labs) requireCapabilities(l.value, env.provider, l.file);
    this.prepared = tasks.labs.map((l) => prepareLab(l, seed, cluster.nodes));
    this.ctx = { cluster, kube: new KubeClient(cluster.kubeconfig), kubectlBinary: env.kubectl, progress: silentProgress };
  }

  async setup(): Promise<void> {
    for (const p of this.prepared) await setupLab(p, this.ctx);
  }

  async solve(): Promise<void> {
    for (const p of this.prepared) await solveLab(p, this.ctx);
  }

  /** One evaluation of a check's primitive, ignoring its `requires` and without polling. */
  async evaluateOnce(key: string): Promise<CheckOutcome | undefined> {
    const [labId, checkId] = key.split('/');
    const prepared = this.prepared.find((p) => p.lab.metadata.id === labId);
    const check = prepared?.lab.checks.find((c) => c.id === checkId);
    const primitive = primitives.get(check?.check ?? '');
    if (!prepared || !check || !primitive) return undefined;
    return primitive.run({ kube: this.ctx.kube, params: prepared.params }, primitive.args.parse(check.with));
  }

  /** `gradeExamReport` in-process, as the CLI and the demo call it. */
  grade(library: Library = this.tasks.library): Promise<GradeReport> {
    return gradeExamReport(library, this.tasks.exam, {
      kubeconfigs: new Map([['*', this.cluster.kubeconfig]]),
      seed: this.seed,
      budgetSeconds: 300,
      progress: silentProgress,
    });
  }
}

/** The workers the exam needs: the most any of its labs asks for (what `kubexam demo` creates). */
export function examWorkers(tasks: LoadedExamTasks): number {
  return Math.max(...tasks.labs.map((l) => l.value.cluster.workers));
}

/**
 * The library with every custom-grader check removed (and `requires` on them dropped): the
 * shell grader cannot translate TypeScript graders, so neither side runs them.
 */
export function withoutCustomGraders(library: Library): { library: Library; removed: string[] } {
  const removed: string[] = [];
  const labs = new Map<string, LoadedLab>();
  for (const [id, loaded] of library.labs) {
    const custom = new Set(loaded.value.checks.filter((c) => c.grader !== undefined).map((c) => c.id));
    for (const c of custom) removed.push(`${id}/${c}`);
    const checks = loaded.value.checks
      .filter((c) => !custom.has(c.id))
      .map((c) => ({ ...c, requires: c.requires.filter((r) => !custom.has(r)) }));
    labs.set(id, custom.size === 0 ? loaded : { ...loaded, value: { ...loaded.value, checks } });
  }
  return { library: { ...library, labs }, removed };
}

export function checkCount(report: GradeReport): number {
  return report.tasks.reduce((n, t) => n + t.checks.length, 0);
}

/** `points/max (score%)` with pass/fail counts, for a table cell. */
export function reportSummary(report: GradeReport): string {
  const checks = report.tasks.flatMap((t) => t.checks);
  const count = (s: string) => checks.filter((c) => c.status === s).length;
  const parts = [`${count('pass')} pass`, `${count('fail')} fail`, count('skipped') ? `${count('skipped')} skipped` : '', count('error') ? `${count('error')} error` : ''].filter(Boolean);
  return `${report.points}/${report.maxPoints} pts, ${report.scorePercent.toFixed(0)}% (${parts.join(', ')})`;
}
