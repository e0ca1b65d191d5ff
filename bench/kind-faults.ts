import type { AssetPaths } from '../server/assets/install.ts';
import { awaitSymptom, faults, injectFault, repairFault } from '../server/clusters/faults/catalog.ts';
import { awaitHealthy } from '../server/clusters/faults/health.ts';
import type { FaultTarget } from '../server/clusters/faults/types.ts';
import { openKindProvider } from '../server/clusters/kind/provider.ts';
import type { Config } from '../server/config.ts';
import { kubectl } from '../server/exec/kubectl.ts';
import { silentProgress } from '../server/progress.ts';
import { renderTable } from './table.ts';

export interface FaultTiming {
  fault: string;
  params: unknown;
  /** What the probe polls, in the catalog's words. */
  polls: string;
  injectMs: number;
  /** From the end of injection to the probe first seeing the symptom. */
  symptomMs: number;
  /** The catalog's own bound for `symptomMs`. */
  withinSeconds: number;
  /** From the start of the repair until the symptom is gone and the cluster is healthy again (faults/health.ts). */
  recoveryMs: number;
}

/**
 * Params for measuring a fault on a 1 + 1 cluster: the worker for node faults, the scheduler for
 * control-plane faults, nothing for cluster-wide ones. Faults that need objects a lab creates
 * (a Deployment to break) take none of these and are left out.
 */
const candidates: readonly Record<string, string>[] = [{ node: 'node01' }, { component: 'kube-scheduler' }, {}];

/**
 * Fault-to-symptom time of every node and system-component fault on one real kind cluster
 * (1 control plane + 1 worker, defaults as kubexam creates them), one fault after another, each
 * repaired and the cluster back to Ready before the next.
 */
export async function measureKindFaults(config: Config, assets: AssetPaths, log: (m: string) => void): Promise<FaultTiming[]> {
  const provider = await openKindProvider(config, silentProgress);
  const name = `bench-faults-${process.pid}`;
  const kubectlBin = assets['kubectl'] as string;
  const timings: FaultTiming[] = [];
  log('kind cluster for fault timings (1 control plane + 1 worker)');
  const cluster = await provider.create({ name, controlPlanes: 1, workers: 1 }, silentProgress);
  try {
    const target: FaultTarget = {
      cluster,
      kubectl: (args, input) => kubectl(kubectlBin, cluster.kubeconfig, args, input === undefined ? {} : { input }),
      nodes: await provider.nodeAccess(name),
    };
    for (const fault of faults.values()) {
      if (!fault.inject.kind || !fault.repair.kind) continue;
      const params = candidates.find((c) => fault.params.safeParse(c).success);
      if (!params) continue;
      log(`fault ${fault.name} ${JSON.stringify(params)}`);
      let started = performance.now();
      await injectFault(fault.name, params, target);
      const injectMs = performance.now() - started;
      const symptomMs = await awaitSymptom(fault.name, params, target, { timeoutMs: Math.max(fault.probe.withinSeconds * 2000, 120_000), intervalMs: 500 });
      started = performance.now();
      await repairFault(fault.name, params, target);
      await awaitSymptom(fault.name, params, target, { present: false, timeoutMs: 300_000, intervalMs: 500 });
      await awaitHealthy(target, 400_000);
      timings.push({ fault: fault.name, params, polls: fault.probe.polls, injectMs, symptomMs, withinSeconds: fault.probe.withinSeconds, recoveryMs: performance.now() - started });
    }
  } finally {
    await provider.delete(name).catch(() => undefined);
  }
  return timings;
}

export function kindFaultsTable(timings: readonly FaultTiming[]): string {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  return renderTable({
    title: '5c. fault injection to visible symptom on real kind (1 control plane + 1 worker), one run per fault',
    headers: ['fault', 'params', 'inject s', 'to symptom s', 'bound s', 'repair to recovered s', 'symptom polled'],
    rows: timings.map((t) => [t.fault, JSON.stringify(t.params), s(t.injectMs), s(t.symptomMs), String(t.withinSeconds), s(t.recoveryMs), t.polls]),
    right: [2, 3, 4, 5],
    notes: [
      'to symptom: from the end of injection until the catalog probe (server/clusters/faults) first sees it, polled every 0.5 s',
      'node faults wait for the node lifecycle controller: --node-monitor-grace-period as kubexam configures kind clusters',
      'recovered: symptom gone, every node Ready, every Deployment and DaemonSet rolled out, every pod Running and Ready (faults/health.ts)',
    ],
  });
}
