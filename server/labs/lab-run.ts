import type { KubeClient } from '../../graders/kube.ts';
import { runChecks, type RunnableCheck } from '../../graders/runner.ts';
import type { TaskResult } from '../../graders/types.ts';
import type { NodeAccess } from '../clusters/node-access.ts';
import type { ClusterInfo, ClusterProvider } from '../clusters/provider.ts';
import { KubexamError } from '../errors.ts';
import type { ProgressSink } from '../progress.ts';
import type { LoadedLab } from './load.ts';
import { resolveParams, type NodeNames } from './params.ts';
import { resolveInLab } from './paths.ts';
import type { Curriculum, Lab } from './schema.ts';
import { runSteps } from './steps.ts';
import { render, type ParamValues } from './template.ts';

/** A lab bound to one session: params drawn from the seed and substituted everywhere. */
export interface PreparedLab {
  loaded: LoadedLab;
  seed: string;
  params: ParamValues;
  /** The lab with params substituted (manifest files are rendered when applied). */
  lab: Lab;
}

/** `forced` params take the given values instead of drawn ones (`kubexam test --param`). */
export function prepareLab(loaded: LoadedLab, seed: string, nodes: NodeNames, forced: Readonly<Record<string, string>> = {}): PreparedLab {
  const params = resolveParams(loaded.value.metadata.id, loaded.value.params, seed, nodes, forced);
  const { params: _declared, ...rest } = loaded.value;
  return { loaded, seed, params, lab: { ...render(rest, params), params: loaded.value.params } };
}

/** Refuses, before anything starts, a lab that needs what the provider cannot give. */
export function requireCapabilities(lab: Lab, provider: Pick<ClusterProvider, 'name' | 'capabilities'>, file: string): void {
  const missing = lab.cluster.requires.filter((c) => !provider.capabilities.has(c));
  if (missing.length > 0) {
    throw new KubexamError(
      'CAPABILITY_MISSING',
      `${file}: lab ${lab.metadata.id} requires ${missing.join(', ')}, which the ${provider.name} provider lacks; run it with --provider kind`,
    );
  }
}

export interface LabClusterContext {
  cluster: ClusterInfo;
  kube: KubeClient;
  kubectlBinary: string;
  progress: ProgressSink;
  /** A shell on the nodes, for `run:` steps with `node:`; absent where the provider has none (kwok). */
  nodes?: NodeAccess | undefined;
}

function stepContext(prepared: PreparedLab, ctx: LabClusterContext) {
  return { ...ctx, labDir: prepared.loaded.dir, params: prepared.params, scope: `lab/${prepared.lab.metadata.id}` };
}

export function setupLab(prepared: PreparedLab, ctx: LabClusterContext): Promise<void> {
  return runSteps(prepared.lab.setup, stepContext(prepared, ctx), 'setup');
}

export function solveLab(prepared: PreparedLab, ctx: LabClusterContext): Promise<void> {
  return runSteps(prepared.lab.solution, stepContext(prepared, ctx), 'solution');
}

/** Grades one lab's checks against the live cluster; node checks need `nodes` and are `error` without it. */
export async function gradeLab(prepared: PreparedLab, kube: KubeClient, curriculum: Curriculum, deadline: number, nodes?: NodeAccess): Promise<TaskResult> {
  const { lab, loaded } = prepared;
  const started = Date.now();
  const checks: RunnableCheck[] = await Promise.all(
    lab.checks.map(async (c) => ({ ...c, grader: c.grader === undefined ? undefined : await resolveInLab(loaded.dir, c.grader) })),
  );
  const results = await runChecks(checks, { kube, params: prepared.params, nodes }, { deadline });
  const domain = curriculum.domains.find((d) => d.id === lab.metadata.domain);
  return {
    labId: lab.metadata.id,
    title: lab.metadata.title,
    domain: lab.metadata.domain,
    domainTitle: domain?.title ?? lab.metadata.domain,
    points: results.reduce((sum, r) => sum + r.points, 0),
    maxPoints: lab.metadata.points,
    checks: results,
    durationMs: Date.now() - started,
  };
}

/** Node names of a live cluster, for params that pick a node (control planes by their role label). */
export async function nodesOf(kube: KubeClient): Promise<NodeNames> {
  const nodes = await kube.list('v1', 'Node');
  const isControlPlane = (n: (typeof nodes)[number]) => Object.hasOwn(n.metadata?.labels ?? {}, 'node-role.kubernetes.io/control-plane');
  const names = (list: typeof nodes) => list.map((n) => n.metadata?.name ?? '').filter(Boolean).sort();
  return { controlPlanes: names(nodes.filter(isControlPlane)), workers: names(nodes.filter((n) => !isControlPlane(n))) };
}
