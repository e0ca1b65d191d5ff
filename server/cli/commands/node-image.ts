import type { Command } from 'commander';
import { ensureNodeImage } from '../../node-image/index.ts';
import { globalConfig } from '../program.ts';
import { progressDisplay } from '../progress-display.ts';

export function registerNodeImageCommand(program: Command): void {
  program
    .command('node-image')
    .description('build the kind node image offline (Debian packages, kind base files, kubexam assets); skipped when up to date')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const result = await ensureNodeImage(globalConfig(), progressDisplay());
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      const s = result.seconds;
      process.stdout.write(`${result.image}\n`);
      process.stderr.write(`node image ${result.image} (base ${s.base}s, control-plane images ${s.images}s, workload images ${s.workload}s, add-ons ${s.addons}s, node ${s.node}s)\n`);
    });
}
