import type { Command } from 'commander';
import { globalConfig } from '../program.ts';
import { progressDisplay } from '../progress-display.ts';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('start an exam on the embedded kwok cluster: tasks, a shell with kubectl, then your score by domain')
    .option('--exam <exam>', 'exam id or path', 'ckad-mock-1')
    .option('--path <dirs...>', 'where to look for labs and exams (default: the built-in labs)')
    .option('--seed <seed>', 'seed for the tasks\' params (default: random)')
    .option('--solve', 'apply every task\'s solution instead of opening a shell (the default without a terminal)')
    .option('--keep', 'keep the cluster afterwards')
    .action(async (opts: { exam: string; path?: string[]; seed?: string; solve?: boolean; keep?: boolean }) => {
      const { runDemo } = await import('../demo.ts');
      const interactive = !opts.solve && process.stdin.isTTY === true;
      process.exitCode = await runDemo({ ...opts, interactive, config: globalConfig(), progress: progressDisplay() });
    });
}
