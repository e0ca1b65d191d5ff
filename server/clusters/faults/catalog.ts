import { KubexamError } from '../../errors.ts';
import { describeError } from '../../errors.ts';
import type { ProviderName } from '../provider.ts';
import { configmapKeyMissing, corednsScaledToZero, deploymentBadImage, podCrashing, serviceWrongSelector } from './api-faults.ts';
import { corednsBroken, kubeProxyBroken, staticPodBroken } from './component-faults.ts';
import { cniConfigRemoved, containerdStopped, kubeletMisconfigured, kubeletStopped, kubeletWrongApiserver, nodeNotReady } from './node-faults.ts';
import type { Fault, FaultAction, FaultTarget, SymptomReading } from './types.ts';

/** Every fault a lab can name in `setup: - fault: <name>`. */
export const faults: ReadonlyMap<string, Fault> = new Map(
  [
    nodeNotReady,
    kubeletStopped,
    kubeletMisconfigured,
    containerdStopped,
    kubeletWrongApiserver,
    cniConfigRemoved,
    staticPodBroken,
    corednsBroken,
    kubeProxyBroken,
    podCrashing,
    deploymentBadImage,
    serviceWrongSelector,
    corednsScaledToZero,
    configmapKeyMissing,
  ].map((f) => [f.name, f]),
);

function lookup(name: string): Fault {
  const fault = faults.get(name);
  if (!fault) {
    throw new KubexamError('FAULT_UNKNOWN', `no fault named "${name}"; known faults: ${[...faults.keys()].join(', ')}`);
  }
  return fault;
}

function parseParams(fault: Fault, params: unknown): unknown {
  const parsed = fault.params.safeParse(params);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ');
    throw new KubexamError('FAULT_PARAMS_INVALID', `fault ${fault.name}: ${why}`);
  }
  return parsed.data;
}

/** The fault, its parsed params and its action for the target's provider; refuses before anything changes. */
function prepare(name: string, params: unknown, target: FaultTarget, action: 'inject' | 'repair'): { fault: Fault; params: unknown; run: FaultAction<unknown> } {
  const fault = lookup(name);
  const provider: ProviderName = target.cluster.provider;
  const run = fault[action][provider];
  if (!run) {
    const others = Object.keys(fault[action]);
    const why = others.length ? `it needs ${others.join(' or ')}` : (fault.repairGap ?? 'it has no automatic repair');
    throw new KubexamError('FAULT_UNSUPPORTED', `fault ${name} cannot be ${action === 'inject' ? 'injected' : 'repaired'} on ${provider}; ${why}`);
  }
  return { fault, params: parseParams(fault, params), run };
}

/** Injects `name` with `params` on the target's provider, or says clearly why it cannot. */
export async function injectFault(name: string, params: unknown, target: FaultTarget): Promise<void> {
  const prepared = prepare(name, params, target, 'inject');
  try {
    await prepared.run(target, prepared.params);
  } catch (error) {
    throw new KubexamError('FAULT_INJECT_FAILED', `fault ${name} could not be injected: ${describeError(error)}`, { cause: error });
  }
}

/** Makes the fix a candidate would make for `name` (the same commands a lab's solution shows). */
export async function repairFault(name: string, params: unknown, target: FaultTarget): Promise<void> {
  const prepared = prepare(name, params, target, 'repair');
  try {
    await prepared.run(target, prepared.params);
  } catch (error) {
    throw new KubexamError('FAULT_REPAIR_FAILED', `fault ${name} could not be repaired: ${describeError(error)}`, { cause: error });
  }
}

/** One look for the fault's symptom, with the fault's own probe (what tests and the bench poll). */
export async function readSymptom(name: string, params: unknown, target: FaultTarget): Promise<SymptomReading> {
  const fault = lookup(name);
  return fault.probe.check(target, parseParams(fault, params));
}

/**
 * Polls the fault's probe until the symptom is `present` (or gone, for recovery) and returns the
 * milliseconds it took from the call; fails with what was last seen after `timeoutMs` (by default
 * the probe's `withinSeconds`). Tests and the bench measure fault-to-symptom time with this.
 */
export async function awaitSymptom(
  name: string,
  params: unknown,
  target: FaultTarget,
  options: { present?: boolean; timeoutMs?: number; intervalMs?: number } = {},
): Promise<number> {
  const fault = lookup(name);
  const parsed = parseParams(fault, params);
  const want = options.present ?? true;
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? fault.probe.withinSeconds * 1000;
  let seen = '';
  for (;;) {
    try {
      const reading = await fault.probe.check(target, parsed);
      if (reading.present === want) return Date.now() - started;
      seen = reading.seen;
    } catch (error) {
      // The API can be briefly unreachable while a fault takes effect: keep polling.
      seen = describeError(error);
    }
    if (Date.now() - started >= timeoutMs) {
      throw new KubexamError('FAULT_SYMPTOM_TIMEOUT', `fault ${name}: ${fault.probe.polls} was ${want ? 'not seen' : 'still seen'} within ${Math.round(timeoutMs / 1000)} s; last seen: ${seen}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 1000));
  }
}
