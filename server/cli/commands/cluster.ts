import type { Command } from 'commander';
import { allClusters, openProvider, providerOfCluster } from '../../clusters/index.ts';
import { KubexamError } from '../../errors.ts';
import { globalConfig } from '../program.ts';
import { progressDisplay } from '../progress-display.ts';
import { intOption } from '../options.ts';

export function registerClusterCommand(program: Command): void {
  const cluster = program.command('cluster').description('create, list and delete practice clusters');

  cluster
    .command('create')
    .description('create a cluster with exam-named nodes (controlplane, node01, ...) and print its kubeconfig path')
    .argument('[name]', 'cluster name (kebab-case)', `kx-${Date.now().toString(36)}`)
    .option('--provider <provider>', 'kwok (embedded, no Docker) or kind', 'kwok')
    .option('--control-planes <n>', 'control-plane nodes', intOption, 1)
    .option('--workers <n>', 'worker nodes', intOption, 2)
    .action(async (name: string, opts: { provider: string; controlPlanes: number; workers: number }) => {
      if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name)) {
        throw new KubexamError('CLUSTER_NAME_INVALID', `cluster name "${name}" must be kebab-case (lowercase letters, digits, dashes)`);
      }
      const config = globalConfig();
      const progress = progressDisplay();
      const provider = await openProvider(opts.provider, config, progress);
      const info = await provider.create({ name, controlPlanes: opts.controlPlanes, workers: opts.workers }, progress);
      process.stdout.write(`${info.kubeconfig}\n`);
      process.stderr.write(`cluster ${info.name} is ready: export KUBECONFIG=${info.kubeconfig}\n`);
    });

  cluster
    .command('delete')
    .description('delete clusters by name, or all of them')
    .argument('[names...]', 'cluster names')
    .option('--all', 'delete every cluster kubexam made')
    .action(async (names: string[], opts: { all?: boolean }) => {
      const config = globalConfig();
      const progress = progressDisplay();
      const targets = opts.all ? (await allClusters(config)).map((c) => c.name) : names;
      if (targets.length === 0 && !opts.all) throw new KubexamError('CLUSTER_NAME_MISSING', 'name the clusters to delete, or pass --all');
      for (const name of targets) {
        const provider = await providerOfCluster(name, config, progress);
        await provider.delete(name);
        progress({ scope: `cluster/${name}`, message: 'deleted', state: 'done' });
      }
    });

  cluster
    .command('list')
    .description('list the clusters kubexam made')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const clusters = await allClusters(globalConfig());
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(clusters, null, 2)}\n`);
        return;
      }
      if (clusters.length === 0) {
        process.stdout.write('no clusters\n');
        return;
      }
      for (const c of clusters) {
        const nodes = [...c.nodes.controlPlanes, ...c.nodes.workers].join(',');
        process.stdout.write(`${c.name}\t${c.provider}\t${nodes}\t${c.createdAt}\t${c.kubeconfig}\n`);
      }
    });
}
