import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeError } from '../server/errors.ts';
import { benchEnv } from './bench-env.ts';
import { clusterCreateTables, measureClusterCreate } from './cluster-create.ts';
import { benchExam } from './exam-bench.ts';
import { benchKind } from './kind-bench.ts';
import { loadExamTasks } from './exam-session.ts';
import { gradingTable, shellTable } from './exam-tables.ts';
import { loadText, machine, machineHeader } from './machine.ts';
import { parseOptions } from './options.ts';
import { benchTerminal } from './terminal-bench.ts';
import { promptTable, wireTable } from './terminal-tables.ts';

/**
 * `npm run bench`: cluster start time and memory, grading time of an exam, kubexam against a
 * kubectl-and-shell grader, the browser terminal (time to a prompt; echo, throughput and memory
 * beside ttyd), and real kind clusters (raw kind against kubexam, memory per node), on this
 * machine, with the real provider and graders. `--only terminal` (or cluster, exam, kind) runs
 * just those sections. Tables go to stdout, progress to stderr, raw
 * numbers to test-results/bench.json.
 */
const resultsDir = fileURLToPath(new URL('../test-results/', import.meta.url));
const startedAt = new Date();
const started = performance.now();
const log = (message: string) => process.stderr.write(`  [${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);
const print = (text: string) => process.stdout.write(`${text}\n`);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const run = new Set(options.only);
  // Load the exam first: a missing or invalid exam should fail before any cluster starts.
  const tasks = await loadExamTasks(options.exam, options.path);
  const host = machine();
  print(machineHeader(host, startedAt));
  const env = await benchEnv();
  const raw: Record<string, unknown> = { startedAt: startedAt.toISOString(), machine: host, options };
  try {
    if (run.has('cluster')) {
      const create = await measureClusterCreate(env, options.createRuns, 2, options.idleSeconds, log);
      print(clusterCreateTables(create));
      raw['clusterCreate'] = create;
    }
    if (run.has('exam')) {
      const exam = await benchExam(env, tasks, {
        seed: options.seed,
        inProcessRuns: options.gradeRuns,
        rounds: options.rounds,
        shellDir: join(resultsDir, 'bench-shell-grader'),
        log,
      });
      print(gradingTable(exam));
      print(shellTable(exam));
      const { checks, ...shell } = exam.shell;
      raw['exam'] = { ...exam, shell: { ...shell, checks: checks.map(({ key, primitive }) => ({ key, primitive })) } };
    }
    if (run.has('terminal')) {
      const terminal = await benchTerminal(env, {
        exam: tasks.exam.value.metadata.id,
        path: options.path,
        seed: options.seed,
        promptRuns: options.promptRuns,
        keystrokes: options.keystrokes,
        bulkRuns: options.bulkRuns,
        bulkBytes: options.bulkMb * 1e6,
        log,
      });
      print(promptTable(terminal));
      print(wireTable(terminal));
      raw['terminal'] = terminal;
    }
    if (run.has('kind')) {
      raw['kind'] = (await benchKind(env, { runs: options.kindRuns, workers: options.kindWorkers, idleSeconds: options.idleSeconds, log, print })).raw;
    }
    await mkdir(resultsDir, { recursive: true });
    const file = join(resultsDir, 'bench.json');
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
