import type { Command } from 'commander';
import type { NodeProviderSetting } from '../../index.ts';
import { intOption } from '../options.ts';
import { globalConfig } from '../program.ts';
import { progressDisplay } from '../progress-display.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start the kubexam server: exam pages, admin, API, terminals')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', intOption, 8080)
    .option('--provider <provider>', 'cluster provider for sessions', 'kwok')
    .option('--node-provider <provider>', 'where sessions whose labs need real nodes run: auto (kind when Docker answers), kind, off', 'auto')
    .option('--path <dirs...>', 'where to look for labs and exams (default: the built-in labs)')
    .action(async (opts: { host: string; port: number; provider: string; nodeProvider: string; path?: string[] }) => {
      const { startServer } = await import('../../index.ts');
      const config = globalConfig();
      const server = await startServer({
        config,
        host: opts.host,
        port: opts.port,
        provider: opts.provider,
        nodeProvider: opts.nodeProvider as NodeProviderSetting,
        ...(opts.path ? { labPaths: opts.path } : {}),
        progress: progressDisplay(),
      });
      process.stdout.write(`kubexam is running at ${server.url}\n  admin: ${server.url}/admin (instructor token in ${server.instructorTokenFile})\n`);
      const stop = async () => {
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });
}
