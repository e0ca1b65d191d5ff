import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Exam id or path. @default ckad-mock-1 */
  exam: string;
  /** Where to look for labs and exams, as `kubexam grade --path`. @default the built-in labs */
  path: string[] | undefined;
  /** Seed for the exam's params. @default bench */
  seed: string;
  /** Clusters created for measurement 1. @default 5 */
  createRuns: number;
  /** Seconds a new cluster idles before its memory is read. @default 5 */
  idleSeconds: number;
  /** In-process gradings of the solved exam. @default 5 */
  gradeRuns: number;
  /** Rounds of shell vs kubexam (in-process and CLI). @default 3 */
  rounds: number;
}

const usage = 'usage: npm run bench -- [--exam ID|PATH] [--path DIR]...  [--seed S] [--create-runs N] [--idle S] [--grade-runs N] [--rounds N]';

export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      exam: { type: 'string', default: 'ckad-mock-1' },
      path: { type: 'string', multiple: true },
      seed: { type: 'string', default: 'bench' },
      'create-runs': { type: 'string', default: '5' },
      idle: { type: 'string', default: '5' },
      'grade-runs': { type: 'string', default: '5' },
      rounds: { type: 'string', default: '3' },
    },
  });
  const count = (name: string, value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number >= 1, not "${value}"\n${usage}`);
    return n;
  };
  return {
    exam: values.exam,
    path: values.path,
    seed: values.seed,
    createRuns: count('create-runs', values['create-runs']),
    idleSeconds: count('idle', values.idle),
    gradeRuns: count('grade-runs', values['grade-runs']),
    rounds: count('rounds', values.rounds),
  };
}
