import { KubexamError } from '../../errors.ts';
import { describeError } from '../../errors.ts';
import type { ProviderName } from '../provider.ts';
import { configmapKeyMissing, corednsScaledToZero, deploymentBadImage, podCrashing, serviceWrongSelector } from './api-faults.ts';
import { nodeNotReady } from './node-faults.ts';
import type { Fault, FaultTarget } from './types.ts';

/** Every fault a lab can name in `setup: - fault: <name>`. */
export const faults: ReadonlyMap<string, Fault> = new Map(
  [nodeNotReady, podCrashing, deploymentBadImage, serviceWrongSelector, corednsScaledToZero, configmapKeyMissing].map((f) => [f.name, f]),
);

/** Injects `name` with `params` on the target's provider, or says clearly why it cannot. */
export async function injectFault(name: string, params: unknown, target: FaultTarget): Promise<void> {
  const fault = faults.get(name);
  if (!fault) {
    throw new KubexamError('FAULT_UNKNOWN', `no fault named "${name}"; known faults: ${[...faults.keys()].join(', ')}`);
  }
  const provider: ProviderName = target.cluster.provider;
  const inject = fault.inject[provider];
  if (!inject) {
    throw new KubexamError('FAULT_UNSUPPORTED', `fault ${name} cannot be injected on ${provider}; it needs ${Object.keys(fault.inject).join(' or ')}`);
  }
  const parsed = fault.params.safeParse(params);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ');
    throw new KubexamError('FAULT_PARAMS_INVALID', `fault ${name}: ${why}`);
  }
  try {
    await inject(target, parsed.data);
  } catch (error) {
    throw new KubexamError('FAULT_INJECT_FAILED', `fault ${name} could not be injected: ${describeError(error)}`, { cause: error });
  }
}
