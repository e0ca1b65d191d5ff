import { readFile } from 'node:fs/promises';
import { dirname, delimiter } from 'node:path';
import { primitives } from '../../graders/checks/index.ts';
import type { KubeClient } from '../../graders/kube.ts';
import { injectFault } from '../clusters/faults/catalog.ts';
import type { NodeAccess } from '../clusters/node-access.ts';
import type { ClusterInfo } from '../clusters/provider.ts';
import { KubexamError, describeError } from '../errors.ts';
import { kubectl } from '../exec/kubectl.ts';
import { run } from '../exec/run.ts';
import type { ProgressSink } from '../progress.ts';
import { isInlineManifest, resolveInLab } from './paths.ts';
import type { Step } from './schema.ts';
import { renderString, type ParamValues } from './template.ts';

export interface StepContext {
  cluster: ClusterInfo;
  kube: KubeClient;
  kubectlBinary: string;
  labDir: string;
  params: ParamValues;
  progress: ProgressSink;
  scope: string;
  nodes?: NodeAccess | undefined;
}

/** Runs setup or solution steps in order; the first failing step stops the run with its reason. */
export async function runSteps(steps: readonly Step[], ctx: StepContext, section: 'setup' | 'solution'): Promise<void> {
  for (const [i, step] of steps.entries()) {
    ctx.progress({ scope: ctx.scope, message: `${section} ${i + 1}/${steps.length}: ${describeStep(step)}`, state: 'update' });
    try {
      await runStep(step, ctx);
    } catch (error) {
      throw new KubexamError('LAB_STEP_FAILED', `${section}[${i}] (${describeStep(step)}) failed: ${describeError(error)}`, { cause: error });
    }
  }
}

export function describeStep(step: Step): string {
  if ('apply' in step) return isInlineManifest(step.apply) ? 'apply inline manifest' : `apply ${step.apply}`;
  if ('delete' in step) return isInlineManifest(step.delete) ? 'delete inline manifest' : `delete ${step.delete}`;
  if ('run' in step) return `run ${step.run.split('\n')[0]?.slice(0, 60)}`;
  if ('fault' in step) return `fault ${step.fault}`;
  return `wait for ${step.waitFor}`;
}

async function manifest(value: string, ctx: StepContext): Promise<string> {
  const text = isInlineManifest(value) ? value : await readFile(await resolveInLab(ctx.labDir, value), 'utf8');
  return String(renderString(text, ctx.params));
}

async function runStep(step: Step, ctx: StepContext): Promise<void> {
  const k = (args: string[], input?: string) => kubectl(ctx.kubectlBinary, ctx.cluster.kubeconfig, args, input === undefined ? {} : { input });
  if ('apply' in step) {
    await k(['apply', '-f', '-', ...(step.namespace ? ['-n', step.namespace] : [])], await manifest(step.apply, ctx));
  } else if ('delete' in step) {
    await k(['delete', '--ignore-not-found', '--wait=false', '-f', '-', ...(step.namespace ? ['-n', step.namespace] : [])], await manifest(step.delete, ctx));
  } else if ('run' in step) {
    if (step.node) {
      await runOnNode(step.node, step.run, step.timeoutSeconds, ctx);
      return;
    }
    await run('sh', ['-ec', step.run], 'LAB_RUN_FAILED', {
      cwd: ctx.labDir,
      timeoutMs: (step.timeoutSeconds ?? 120) * 1000,
      env: { KUBECONFIG: ctx.cluster.kubeconfig, PATH: `${dirname(ctx.kubectlBinary)}${delimiter}${process.env['PATH'] ?? ''}` },
    });
  } else if ('fault' in step) {
    await injectFault(step.fault, step.with, { cluster: ctx.cluster, kubectl: (args, input) => k([...args], input), nodes: ctx.nodes });
  } else {
    await waitFor(step.waitFor, step.with, step.timeoutSeconds, ctx);
  }
}

async function runOnNode(node: string, command: string, timeoutSeconds: number | undefined, ctx: StepContext): Promise<void> {
  if (!ctx.nodes) {
    throw new KubexamError('CAPABILITY_MISSING', `running a command on node ${node} needs the node-shell capability, which the ${ctx.cluster.provider} provider lacks`);
  }
  // -e as for local steps: a multi-line script stops at its first failing command.
  const result = await ctx.nodes.exec(node, `set -e\n${command}`, { timeoutMs: (timeoutSeconds ?? 120) * 1000 });
  if (result.exitCode !== 0) {
    const tail = (result.stderr || result.stdout).split('\n').slice(-15).join('\n').trim();
    throw new KubexamError('LAB_RUN_FAILED', `on node ${node}, exited with ${result.exitCode}: ${tail}`);
  }
}

async function waitFor(name: string, args: Record<string, unknown>, timeoutSeconds: number, ctx: StepContext): Promise<void> {
  const primitive = primitives.get(name);
  if (!primitive) throw new KubexamError('CHECK_UNKNOWN', `unknown check "${name}"`);
  const parsed = primitive.args.parse(args);
  const deadline = Date.now() + timeoutSeconds * 1000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const outcome = await primitive.run({ kube: ctx.kube, params: ctx.params, nodes: ctx.nodes }, parsed);
      if (outcome.status === 'pass') return;
      last = outcome.message ?? outcome.status;
    } catch (error) {
      last = describeError(error);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new KubexamError('LAB_WAIT_TIMEOUT', `${name} did not pass within ${timeoutSeconds} s: ${last}`);
}
