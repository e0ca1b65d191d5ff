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
  /** Sections to run, in the bench's order. @default every section */
  only: Section[];
  /** Browser sessions timed to the shell prompt (4a). @default 5 */
  promptRuns: number;
  /** Keystroke round trips per terminal server (4b). @default 200 */
  keystrokes: number;
  /** Bulk output runs per terminal server (4b). @default 3 */
  bulkRuns: number;
  /** Bulk output size in MB (10^6 bytes). @default 100 */
  bulkMb: number;
  /** kind clusters created per side (raw kind, kubexam) in section 5. @default 3 */
  kindRuns: number;
  /** Workers of each kind cluster in section 5. @default 3 */
  kindWorkers: number;
}

export const sections = ['cluster', 'exam', 'terminal', 'kind'] as const;
export type Section = (typeof sections)[number];

const usage = 'usage: npm run bench -- [--exam ID|PATH] [--path DIR]...  [--seed S] [--create-runs N] [--idle S] [--grade-runs N] [--rounds N]\n  [--only cluster,exam,terminal,kind] [--prompt-runs N] [--keystrokes N] [--bulk-runs N] [--bulk-mb N]\n  [--kind-runs N] [--kind-workers N]';

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
      only: { type: 'string', multiple: true },
      'prompt-runs': { type: 'string', default: '5' },
      keystrokes: { type: 'string', default: '200' },
      'bulk-runs': { type: 'string', default: '3' },
      'bulk-mb': { type: 'string', default: '100' },
      'kind-runs': { type: 'string', default: '3' },
      'kind-workers': { type: 'string', default: '3' },
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
    only: only(values.only),
    promptRuns: count('prompt-runs', values['prompt-runs']),
    keystrokes: count('keystrokes', values.keystrokes),
    bulkRuns: count('bulk-runs', values['bulk-runs']),
    bulkMb: count('bulk-mb', values['bulk-mb']),
    kindRuns: count('kind-runs', values['kind-runs']),
    kindWorkers: count('kind-workers', values['kind-workers']),
  };
}

/** `--only terminal`, `--only cluster,exam` or repeated: the sections in the bench's own order. */
function only(values: string[] | undefined): Section[] {
  if (!values?.length) return [...sections];
  const wanted = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  for (const w of wanted) {
    if (!(sections as readonly string[]).includes(w)) throw new Error(`--only takes ${sections.join(', ')}, not "${w}"\n${usage}`);
  }
  return sections.filter((s) => wanted.includes(s));
}
