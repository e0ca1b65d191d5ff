import { ensureAssets } from '../server/assets/install.ts';
import { requireDocker } from '../server/exec/docker.ts';
import { describeError } from '../server/errors.ts';
import { silentProgress } from '../server/progress.ts';
import type { BenchEnv } from './bench-env.ts';
import { kindCreateTables, measureKindCreate } from './kind-create.ts';
import { kindFaultsTable, measureKindFaults } from './kind-faults.ts';

/**
 * Section 5, real kind clusters: creation against raw kind, memory per node, fault-to-symptom times. Without a Docker engine the section says so and measures
 * nothing (the other sections do not need Docker).
 */
export async function benchKind(
  env: BenchEnv,
  options: { runs: number; workers: number; idleSeconds: number; log: (m: string) => void; print: (text: string) => void },
): Promise<{ raw: unknown }> {
  try {
    await requireDocker();
  } catch (error) {
    const why = `5. kind: not measured, ${describeError(error)}`;
    options.print(`== ${why}\n`);
    return { raw: { skipped: why } };
  }
  const assets = await ensureAssets({ config: env.config, sets: ['kwok', 'kind'], progress: silentProgress });
  const create = await measureKindCreate(env.config, assets, options.runs, options.workers, options.idleSeconds, options.log);
  // Each table as soon as it is measured: a later failure keeps what was.
  options.print(kindCreateTables(create));
  const faults = await measureKindFaults(env.config, assets, options.log);
  options.print(kindFaultsTable(faults));
  return { raw: { create, faults } };
}
