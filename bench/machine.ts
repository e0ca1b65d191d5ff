import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { versions } from '../server/assets/versions.ts';

export interface Machine {
  cpus: number;
  cpuModel: string;
  ramGiB: number;
  os: string;
  node: string;
  kubernetes: string;
  etcd: string;
  kwok: string;
  /** 1, 5 and 15 minute load averages when the bench started. */
  loadAverage: number[];
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    ramGiB: totalmem() / 1024 ** 3,
    os: `${type()} ${release()}`,
    node: process.version,
    kubernetes: versions.kubernetes,
    etcd: versions.etcd,
    kwok: versions.kwok,
    loadAverage: loadavg(),
  };
}

export function machineHeader(m: Machine, startedAt: Date): string {
  return [
    `kubexam bench, ${startedAt.toISOString()}`,
    `  machine     ${m.cpus} CPUs (${m.cpuModel}), ${m.ramGiB.toFixed(1)} GiB RAM, ${m.os}`,
    `  node        ${m.node}`,
    `  kubernetes  ${m.kubernetes} (etcd ${m.etcd}, kwok ${m.kwok}; versions from server/assets/versions.ts)`,
    `  load        ${loadText(m.loadAverage)} at start (other work on the machine shares the CPUs with the bench)`,
    '',
  ].join('\n');
}

/** The 1, 5 and 15 minute load averages. */
export function loadText(load: readonly number[] = loadavg()): string {
  return `load average ${load.map((l) => l.toFixed(2)).join(', ')}`;
}
