import { pathToFileURL } from 'node:url';
import { primitives, type CheckContext } from './checks/index.ts';
import { KubeUnavailable } from './kube.ts';
import type { CheckOutcome, CheckResult } from './types.ts';

/** A check as the runner needs it: params already substituted into `with`. */
export interface RunnableCheck {
  id: string;
  points: number;
  check?: string | undefined;
  /** Absolute path of a custom grader (resolved inside the lab folder by the caller). */
  grader?: string | undefined;
  with: Record<string, unknown>;
  requires: readonly string[];
  message?: string | undefined;
  timeoutSeconds?: number | undefined;
}

/** A custom grader: the default export of a lab's `grader: ./file.ts`. */
export type Grader = (ctx: CheckContext) => Promise<CheckOutcome> | CheckOutcome;

export interface RunOptions {
  /** Epoch ms by which all grading must be over; checks stop polling at this moment. */
  deadline: number;
  /** Pause between polls of a check that has not passed yet. */
  pollMs?: number;
}

const customGraderTimeoutSeconds = 5;

/**
 * Grades checks in order. Each check is polled until it passes or its own timeout (capped by
 * the overall deadline) runs out; a check whose `requires` did not all pass is skipped, not
 * failed again. API trouble makes a check `error`, never `fail`.
 */
export async function runChecks(checks: readonly RunnableCheck[], ctx: CheckContext, options: RunOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const passed = new Set<string>();
  for (const check of checks) {
    const started = Date.now();
    const blocking = check.requires.filter((id) => !passed.has(id));
    if (blocking.length > 0) {
      results.push({ id: check.id, status: 'skipped', points: 0, maxPoints: check.points, message: `skipped: needs ${blocking.join(', ')} to pass first`, durationMs: 0 });
      continue;
    }
    const outcome = await poll(check, ctx, options);
    const result: CheckResult = {
      id: check.id,
      status: outcome.status,
      points: outcome.status === 'pass' ? check.points : 0,
      maxPoints: check.points,
      message: outcome.status === 'pass' && check.message ? check.message : outcome.message ?? check.message ?? '',
      durationMs: Date.now() - started,
      ...(outcome.status !== 'pass' && outcome.path !== undefined ? { path: outcome.path } : {}),
      ...(outcome.status !== 'pass' && outcome.expected !== undefined ? { expected: outcome.expected } : {}),
      ...(outcome.status !== 'pass' && outcome.actual !== undefined ? { actual: outcome.actual } : {}),
    };
    if (result.status === 'pass') passed.add(check.id);
    results.push(result);
  }
  return results;
}

async function poll(check: RunnableCheck, ctx: CheckContext, options: RunOptions): Promise<CheckOutcome> {
  const evaluate = await evaluator(check);
  if ('status' in evaluate) return evaluate;
  const timeout = (check.timeoutSeconds ?? evaluate.timeoutSeconds) * 1000;
  const deadline = Math.min(Date.now() + timeout, options.deadline);
  for (;;) {
    const outcome = await once(evaluate.run, ctx);
    if (outcome.status === 'pass' || Date.now() >= deadline) return outcome;
    await new Promise((r) => setTimeout(r, Math.min(options.pollMs ?? 500, Math.max(0, deadline - Date.now()))));
  }
}

type Evaluator = { run: (ctx: CheckContext) => Promise<CheckOutcome>; timeoutSeconds: number };

/** The function that evaluates a check, or an `error` outcome when the check itself is broken. */
async function evaluator(check: RunnableCheck): Promise<Evaluator | CheckOutcome> {
  if (check.grader) {
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(check.grader).href)) as { default?: unknown };
    } catch (error) {
      return { status: 'error', message: `custom grader ${check.grader} failed to load: ${(error as Error).message}` };
    }
    if (typeof mod.default !== 'function') return { status: 'error', message: `custom grader ${check.grader} has no default export function` };
    const grader = mod.default as Grader;
    return { run: async (ctx) => grader(ctx), timeoutSeconds: customGraderTimeoutSeconds };
  }
  const primitive = primitives.get(check.check ?? '');
  if (!primitive) return { status: 'error', message: `unknown check "${check.check}" (run kubexam lab validate)` };
  const args = primitive.args.safeParse(check.with);
  if (!args.success) {
    return { status: 'error', message: `check ${check.id}: invalid arguments: ${args.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  }
  return { run: (ctx) => primitive.run(ctx, args.data), timeoutSeconds: primitive.timeoutSeconds };
}

async function once(run: Evaluator['run'], ctx: CheckContext): Promise<CheckOutcome> {
  try {
    return await run(ctx);
  } catch (error) {
    if (error instanceof KubeUnavailable) return { status: 'error', message: error.message };
    return { status: 'error', message: `grader threw: ${error instanceof Error ? error.message : String(error)}` };
  }
}
