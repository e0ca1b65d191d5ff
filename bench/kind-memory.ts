import { nodeContainers } from '../server/clusters/kind/config.ts';
import type { NodeNames } from '../server/labs/params.ts';
import { docker } from '../server/exec/docker.ts';

export interface NodeMemory {
  /** Exam node name: controlplane, node01, ... */
  node: string;
  mib: number;
}

const units: Record<string, number> = { B: 1 / 1024 / 1024, KiB: 1 / 1024, kB: 1 / 1024, MiB: 1, MB: 1, GiB: 1024, GB: 1024 };

/** `docker stats --no-stream` of each node container of a kind cluster, in MiB. */
export async function kindNodeMemory(cluster: string, nodes: NodeNames): Promise<NodeMemory[]> {
  const containers = nodeContainers(cluster, nodes);
  const result = await docker(['stats', '--no-stream', '--format', '{{.Name}} {{.MemUsage}}', ...Object.values(containers)]);
  const usage = new Map(
    result.stdout.split('\n').filter(Boolean).map((line) => {
      const [name = '', used = ''] = line.split(/\s+/);
      const m = /^([\d.]+)([A-Za-z]+)$/.exec(used);
      const factor = m?.[2] ? units[m[2]] : undefined;
      if (!m?.[1] || factor === undefined) throw new Error(`docker stats: cannot read memory "${used}" of ${name}`);
      return [name, Number(m[1]) * factor] as const;
    }),
  );
  return Object.entries(containers).map(([node, container]) => {
    const mib = usage.get(container);
    if (mib === undefined) throw new Error(`docker stats has no line for ${container} (node ${node})`);
    return { node, mib };
  });
}
