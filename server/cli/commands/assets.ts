import type { Command } from 'commander';
import { assetSets, type AssetSetName } from '../../assets/catalog.ts';
import { ensureAssets } from '../../assets/install.ts';
import { KubexamError } from '../../errors.ts';
import { globalConfig } from '../program.ts';
import { progressDisplay } from '../progress-display.ts';

export function registerAssetsCommand(program: Command): void {
  program
    .command('assets')
    .description('install the pinned Kubernetes components into the cache (download or build from the Go module proxy)')
    .option('--set <sets...>', `asset sets to install: ${Object.keys(assetSets).join(', ')}`, ['kwok'])
    .option('--print', 'print the installed paths as JSON')
    .option('--verify', 're-hash every installed file against its recorded checksum')
    .action(async (opts: { set: string[]; print?: boolean; verify?: boolean }) => {
      const sets = opts.set.map((s) => {
        if (!(s in assetSets)) throw new KubexamError('ASSET_SET_UNKNOWN', `unknown asset set "${s}"; choose from ${Object.keys(assetSets).join(', ')}`);
        return s as AssetSetName;
      });
      const paths = await ensureAssets({ config: globalConfig(), sets, progress: progressDisplay(), deep: Boolean(opts.verify) });
      if (opts.print) process.stdout.write(`${JSON.stringify(paths, null, 2)}\n`);
    });
}
