import { randomBytes } from 'node:crypto';
import { KubeClient } from '../../graders/kube.ts';
import type { TaskResult } from '../../graders/types.ts';
import { nodeNames, type ClusterInfo, type ClusterProvider } from '../clusters/provider.ts';
import { describeError } from '../errors.ts';
import type { ProgressSink } from '../progress.ts';
import { gradeLab, prepareLab, requireCapabilities, setupLab, solveLab } from './lab-run.ts';
import type { Library } from './library.ts';
import type { LoadedLab } from './load.ts';

export interface LabTestResult {
  labId: string;
  file: string;
  seed: string;
  /** Params forced with `--param` (the others were drawn from the seed). */
  params: Record<string, string>;
  /** The provider the lab was tested on, when one could be chosen. */
  provider?: string;
  /** Problems found; empty means the lab passed its author test. */
  problems: string[];
  unsolved?: TaskResult;
  solved?: TaskResult;
  durationMs: number;
}

export interface LabTestOptions {
  provider: ClusterProvider;
  kubectlBinary: string;
  seed: string;
  budgetSeconds: number;
  keepCluster: boolean;
  progress: ProgressSink;
  /** Param values to use instead of drawing them (`kubexam test --param`). */
  params?: Record<string, string>;
}

/** How a test is named in reports: the lab id, and the forced params when there are any. */
export function testLabel(result: Pick<LabTestResult, 'labId' | 'params'>): string {
  const forced = Object.entries(result.params).map(([k, v]) => `${k}=${v}`);
  return forced.length === 0 ? result.labId : `${result.labId} [${forced.join(' ')}]`;
}

/** A lab that cannot be tested as asked (no provider for it): reported as a failure, never skipped. */
export function untestable(loaded: LoadedLab, seed: string, params: Record<string, string>, problem: string): LabTestResult {
  return { labId: loaded.value.metadata.id, file: loaded.file, seed, params, problems: [problem], durationMs: 0 };
}

/**
 * The author loop of DESIGN.md: provision, set up, grade (no check may pass on the unsolved
 * cluster: one that does is a bug in the lab), apply the solution, grade (every check must
 * pass), tear down.
 */
export async function testLab(loaded: LoadedLab, library: Library, options: LabTestOptions): Promise<LabTestResult> {
  const started = Date.now();
  const lab = loaded.value;
  const params = options.params ?? {};
  const result: LabTestResult = { labId: lab.metadata.id, file: loaded.file, seed: options.seed, params, provider: options.provider.name, problems: [], durationMs: 0 };
  const scope = `test/${testLabel(result)}`;
  const curriculum = library.curricula.get(lab.metadata.curriculum)?.value;
  if (!curriculum) {
    result.problems.push(`unknown curriculum ${lab.metadata.curriculum}`);
    return { ...result, durationMs: Date.now() - started };
  }
  // Unique even for two runs of one lab started together (a --param matrix); kind warns past 50 characters.
  const newName = () => `t-${lab.metadata.id.slice(0, 36).replace(/-+$/, '')}-${randomBytes(4).toString('hex')}`;
  let clusterName = newName();
  let created = false;
  try {
    requireCapabilities(lab, options.provider, loaded.file);
    // Forced params are checked against the nodes the cluster will have before minutes go into making it.
    prepareLab(loaded, options.seed, nodeNames(lab.cluster.controlPlanes, lab.cluster.workers), params);
    const spec = { controlPlanes: lab.cluster.controlPlanes, workers: lab.cluster.workers };
    let cluster: ClusterInfo;
    try {
      cluster = await options.provider.create({ name: clusterName, ...spec }, options.progress);
    } catch (error) {
      // Making the cluster is not what is under test, and on a loaded host kind's kubeadm join
      // can time out: one more try (the provider removed the failed cluster), then it counts.
      options.progress({ scope, message: `cluster creation failed, trying once more: ${describeError(error)}`, state: 'update' });
      clusterName = newName();
      cluster = await options.provider.create({ name: clusterName, ...spec }, options.progress);
    }
    created = true;
    const kube = new KubeClient(cluster.kubeconfig);
    const prepared = prepareLab(loaded, options.seed, cluster.nodes, params);
    const nodes = await options.provider.nodeAccess?.(cluster.name);
    const ctx = { cluster, kube, kubectlBinary: options.kubectlBinary, progress: options.progress, nodes };
    await setupLab(prepared, ctx);
    options.progress({ scope, message: 'grading the unsolved cluster (no check may pass)', state: 'update' });
    result.unsolved = await gradeLab(prepared, kube, curriculum, Date.now() + options.budgetSeconds * 1000, nodes);
    for (const c of result.unsolved.checks) {
      if (c.status === 'pass') result.problems.push(`unsolved: check ${c.id} passes before the solution (${c.message})`);
      if (c.status === 'error') result.problems.push(`unsolved: check ${c.id} could not be graded: ${c.message}`);
    }
    await solveLab(prepared, ctx);
    options.progress({ scope, message: 'grading the solved cluster (every check must pass)', state: 'update' });
    result.solved = await gradeLab(prepared, kube, curriculum, Date.now() + options.budgetSeconds * 1000, nodes);
    for (const c of result.solved.checks) {
      if (c.status !== 'pass') result.problems.push(`solved: check ${c.id} is ${c.status}: ${c.message}`);
    }
  } catch (error) {
    result.problems.push(describeError(error));
  } finally {
    if (created && !options.keepCluster) await options.provider.delete(clusterName).catch((e) => result.problems.push(`teardown: ${describeError(e)}`));
  }
  result.durationMs = Date.now() - started;
  options.progress({ scope, message: result.problems.length === 0 ? `passed in ${(result.durationMs / 1000).toFixed(1)} s` : `FAILED: ${result.problems[0]}`, state: result.problems.length === 0 ? 'done' : 'fail' });
  return result;
}

/** Runs `tasks` with at most `limit` at a time, keeping the results in input order. */
export async function inParallel<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return results;
}
