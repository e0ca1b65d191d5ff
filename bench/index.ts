import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeError } from '../server/errors.ts';
import { benchEnv } from './bench-env.ts';
import { clusterCreateTables, measureClusterCreate } from './cluster-create.ts';
import { benchExam } from './exam-bench.ts';
import { loadExamTasks } from './exam-session.ts';
import { gradingTable, shellTable } from './exam-tables.ts';
import { loadText, machine, machineHeader } from './machine.ts';
import { parseOptions } from './options.ts';

/**
 * `npm run bench`: cluster start time and memory, grading time of an exam, and kubexam against
 * a kubectl-and-shell grader, on this machine, with the real provider and graders. Tables go to
 * stdout, progress to stderr, raw numbers to test-results/bench.json.
 */
const resultsDir = fileURLToPath(new URL('../test-results/', import.meta.url));
const startedAt = new Date();
const started = performance.now();
const log = (message: string) => process.stderr.write(`  [${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);
const print = (text: string) => process.stdout.write(`${text}\n`);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  // Load the exam first: a missing or invalid exam should fail before any cluster starts.
  const tasks = await loadExamTasks(options.exam, options.path);
  const host = machine();
  print(machineHeader(host, startedAt));
  const env = await benchEnv();
  try {
    const create = await measureClusterCreate(env, options.createRuns, 2, options.idleSeconds, log);
    print(clusterCreateTables(create));
    const exam = await benchExam(env, tasks, {
      seed: options.seed,
      inProcessRuns: options.gradeRuns,
      rounds: options.rounds,
      shellDir: join(resultsDir, 'bench-shell-grader'),
      log,
    });
    print(gradingTable(exam));
    print(shellTable(exam));
    await mkdir(resultsDir, { recursive: true });
    const file = join(resultsDir, 'bench.json');
    const { checks, ...shell } = exam.shell;
    const raw = { startedAt: startedAt.toISOString(), machine: host, options, clusterCreate: create, exam: { ...exam, shell: { ...shell, checks: checks.map(({ key, primitive }) => ({ key, primitive })) } } };
    await writeFile(file, `${JSON.stringify(raw, null, 2)}\n`);
    print(`${loadText()} at the end; raw numbers: ${file}; total bench time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    log('deleting bench clusters');
    await env.cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${describeError(error)}\n`);
  process.exitCode = 1;
});
