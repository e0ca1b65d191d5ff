import { CommanderError } from 'commander';
import { describeError, isKubexamError } from '../errors.ts';
import { registerAssetsCommand } from './commands/assets.ts';
import { registerClusterCommand } from './commands/cluster.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerGradeCommand } from './commands/grade.ts';
import { registerLabCommand } from './commands/lab.ts';
import { registerNodeImageCommand } from './commands/node-image.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerTestCommand } from './commands/test.ts';
import { program } from './program.ts';

/**
 * `kubexam`: every command is registered from ./commands, one file each. Errors are printed as
 * `code: message`; exit codes follow the command (grade: 0 passed, 1 failed, 2 could not grade).
 */
registerAssetsCommand(program);
registerClusterCommand(program);
registerNodeImageCommand(program);
registerLabCommand(program);
registerGradeCommand(program);
registerTestCommand(program);
registerDemoCommand(program);
registerServeCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (isKubexamError(error)) {
    process.stderr.write(`\n${error.code}: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`\nINTERNAL: ${describeError(error)}\n${error instanceof Error ? error.stack : ''}\n`);
    process.exitCode = 2;
  }
}
