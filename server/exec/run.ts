import { execa, type Options, type ResultPromise } from 'execa';
import { KubexamError } from '../errors.ts';
import { debug } from '../log.ts';

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
  /** Called with each stderr line, for progress displays (go build -v). */
  onStderrLine?: (line: string) => void;
  /** Return the result instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
}

/**
 * Runs a program and returns its output. Every external command goes through here (by way of a
 * thin wrapper per program) so that command lines are logged and failures carry stderr.
 * `errorCode` names the program in the error, e.g. `KUBECTL_FAILED`.
 */
export async function run(
  file: string,
  args: readonly string[],
  errorCode: string,
  options: RunOptions = {},
): Promise<RunResult> {
  debug(`$ ${file} ${args.join(' ')}`);
  const execaOptions: Options = {
    reject: false,
    all: false,
    stripFinalNewline: true,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  };
  const child = execa(file, args, execaOptions) as ResultPromise<{ reject: false }>;
  if (options.onStderrLine && child.stderr) {
    let pending = '';
    child.stderr.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.onStderrLine?.(line);
    });
  }
  const result = await child;
  if ('code' in result && result.code === 'ENOENT') {
    throw new KubexamError(`${errorCode.replace(/_FAILED$/, '')}_MISSING`, `${file} is not installed or not on PATH`, {
      cause: result,
    });
  }
  const out: RunResult = {
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    exitCode: result.exitCode ?? -1,
  };
  if (result.timedOut) {
    throw new KubexamError(errorCode, `${file} ${args.join(' ')} timed out after ${options.timeoutMs} ms`, { cause: result });
  }
  if (out.exitCode !== 0 && !options.allowFailure) {
    const tail = out.stderr.split('\n').slice(-15).join('\n').trim();
    throw new KubexamError(errorCode, `${file} ${args.join(' ')} exited with ${out.exitCode}: ${tail}`, { cause: result });
  }
  return out;
}
