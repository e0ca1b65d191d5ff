import { KubeClient } from '../../graders/kube.ts';
import { buildReport } from '../../graders/scoring.ts';
import type { GradeReport, TaskResult } from '../../graders/types.ts';
import type { NodeAccess } from '../clusters/node-access.ts';
import { KubexamError } from '../errors.ts';
import type { ProgressSink } from '../progress.ts';
import { gradeLab, nodesOf, prepareLab } from './lab-run.ts';
import type { Library } from './library.ts';
import type { LoadedExam, LoadedLab } from './load.ts';
import type { Curriculum } from './schema.ts';

export interface GradeOptions {
  /** The kubeconfig of each cluster group by name; `*` is the one for every group. */
  kubeconfigs: ReadonlyMap<string, string>;
  /** A shell on each cluster group's nodes (kind), for node checks; `*` for every group. Without it they are `error`. */
  nodes?: ReadonlyMap<string, NodeAccess>;
  seed: string;
  budgetSeconds: number;
  progress: ProgressSink;
}

function curriculumOf(library: Library, id: string): Curriculum {
  const c = library.curricula.get(id)?.value;
  if (!c) throw new KubexamError('CURRICULUM_UNKNOWN', `unknown curriculum "${id}"`);
  return c;
}

function kubeconfigFor(group: string, options: GradeOptions): string {
  const path = options.kubeconfigs.get(group) ?? options.kubeconfigs.get('*');
  if (!path) throw new KubexamError('KUBECONFIG_MISSING', `no kubeconfig for cluster group "${group}"; pass --kubeconfig ${group}=FILE`);
  return path;
}

async function gradeTasks(labs: readonly { loaded: LoadedLab; group: string }[], curriculum: Curriculum, options: GradeOptions): Promise<TaskResult[]> {
  const deadline = Date.now() + options.budgetSeconds * 1000;
  const clients = new Map<string, KubeClient>();
  // Tasks are independent: grade them side by side; each task's checks run in order.
  return Promise.all(
    labs.map(async ({ loaded, group }) => {
      const path = kubeconfigFor(group, options);
      const kube = clients.get(path) ?? new KubeClient(path);
      clients.set(path, kube);
      const nodes = await nodesOf(kube).catch(() => ({ controlPlanes: [], workers: [] }));
      const prepared = prepareLab(loaded, options.seed, nodes);
      options.progress({ scope: 'grade', message: `grading ${loaded.value.metadata.id}`, state: 'update' });
      return gradeLab(prepared, kube, curriculum, deadline, options.nodes?.get(group) ?? options.nodes?.get('*'));
    }),
  );
}

export async function gradeLabReport(library: Library, loaded: LoadedLab, options: GradeOptions & { passPercent: number }): Promise<GradeReport> {
  const started = Date.now();
  const lab = loaded.value;
  const curriculum = curriculumOf(library, lab.metadata.curriculum);
  const tasks = await gradeTasks([{ loaded, group: '*' }], curriculum, options);
  options.progress({ scope: 'grade', message: `graded ${lab.metadata.id}`, state: 'done' });
  return buildReport({ kind: 'lab', id: lab.metadata.id, title: lab.metadata.title, curriculum, tasks, passPercent: options.passPercent, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started });
}

export async function gradeExamReport(library: Library, exam: LoadedExam, options: GradeOptions): Promise<GradeReport> {
  const started = Date.now();
  const { metadata, tasks, clusters } = exam.value;
  const curriculum = curriculumOf(library, metadata.curriculum);
  const groupOf = (task: string) => clusters?.find((g) => g.tasks.includes(task))?.name ?? '*';
  const labs = tasks.map((id) => {
    const loaded = library.labs.get(id);
    if (!loaded) throw new KubexamError('LAB_NOT_FOUND', `${exam.file}: task ${id} names no lab under the searched paths`);
    return { loaded, group: groupOf(id) };
  });
  const results = await gradeTasks(labs, curriculum, options);
  options.progress({ scope: 'grade', message: `graded ${results.length} tasks of ${metadata.id}`, state: 'done' });
  return buildReport({ kind: 'exam', id: metadata.id, title: metadata.title, curriculum, tasks: results, passPercent: metadata.passPercent, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started });
}
