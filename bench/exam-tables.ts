import { primitives } from '../graders/checks/index.ts';
import type { GradeReport } from '../graders/types.ts';
import type { Agreement } from './agreement.ts';
import { checkCount, reportSummary } from './exam-session.ts';
import type { ExamBenchResult } from './exam-bench.ts';
import type { Summary } from './stats.ts';
import { renderTable } from './table.ts';

const s = (ms: number) => (ms / 1000).toFixed(2);
const timeCells = (m: Summary) => [s(m.median), s(m.min), s(m.max), String(m.runs.length)];
const once = (ms: number) => [s(ms), '', '', '1'];

export function gradingTable(r: ExamBenchResult): string {
  const cliCodes = [...new Set(r.shell.cliRuns.map((c) => c.exitCode))];
  const last = r.solved.reports[r.solved.reports.length - 1] as GradeReport;
  const slowest = [...r.unsolved.report.tasks].sort((a, b) => b.durationMs - a.durationMs)[0];
  const used = [...new Set(r.shell.checks.map((c) => c.primitive))].sort();
  const timeouts = used.map((p) => `${p} ${primitives.get(p)?.timeoutSeconds ?? '?'} s`).join(', ');
  return renderTable({
    title: `2. grading ${r.exam}: ${r.tasks} tasks, ${checkCount(last)} checks, every task on one kwok cluster (1 control plane + ${r.workers} workers), seed ${r.seed}`,
    headers: ['step', 'median s', 'min', 'max', 'runs', 'result'],
    rows: [
      ['set up every task (setupLab, in order)', ...once(r.setupMs), ''],
      ['gradeExamReport in-process, UNSOLVED (fresh setup)', ...once(r.unsolved.ms), reportSummary(r.unsolved.report)],
      ['apply every solution (solveLab, in order)', ...once(r.solveMs), ''],
      ['first gradeExamReport after the solutions', ...once(r.settle.ms), reportSummary(r.settle.report)],
      ['gradeExamReport in-process, solved', ...timeCells(r.solved.ms), reportSummary(last)],
      ['kubexam grade CLI end to end, solved', ...timeCells(r.shell.cliMs), `exit ${cliCodes.join(', ')} ${cliCodes.length === 1 && cliCodes[0] === 0 ? '(passed)' : '(0 = passed, 1 = failed, 2 = could not grade)'}`],
    ],
    right: [1, 2, 3, 4],
    notes: [
      `solved runs (s): ${r.solved.ms.runs.map(s).join(', ')}; CLI runs (s): ${r.shell.cliMs.runs.map(s).join(', ')} (the CLI runs of table 3's rounds)`,
      'UNSOLVED is slow by design: a failing check is polled every 500 ms until its own timeout',
      `  (${timeouts}), so the candidate is not failed for a rollout still in progress.`,
      '  Tasks grade in parallel and each task\'s checks in order, so the run lasts as long as the slowest task:',
      slowest ? `  ${slowest.labId}, ${s(slowest.durationMs)} s (${slowest.checks.map((c) => `${c.id} ${c.status} ${s(c.durationMs)}`).join(', ')}).` : '',
      'The first grading after the solutions also waits for the rollouts the solutions started; the timed runs',
      '  grade the settled cluster. CLI = node start, tsx, loading and validating the lab library, grading, report.',
    ].filter(Boolean),
  });
}

export function shellTable(r: ExamBenchResult): string {
  const sh = r.shell;
  const ratio = (m: Summary) => (m.median <= sh.ms.median ? `${(sh.ms.median / m.median).toFixed(1)}x faster` : `${(m.median / sh.ms.median).toFixed(1)}x slower`);
  const counts = new Map<string, number>();
  for (const c of sh.checks) counts.set(c.primitive, (counts.get(c.primitive) ?? 0) + 1);
  const timing = renderTable({
    title: `3. kubexam vs a kubectl-and-shell grader doing the same checks (CK-X / Killercoda style), ${r.exam} solved`,
    headers: ['grader', 'median s', 'min', 'max', 'runs', 'vs shell (medians)'],
    rows: [
      [`shell: ${sh.checks.length} bash scripts in sequence, kubectl per fact`, ...timeCells(sh.ms), ''],
      ['kubexam gradeExamReport in-process', ...timeCells(sh.kubexamMs), ratio(sh.kubexamMs)],
      ['kubexam grade CLI end to end', ...timeCells(sh.cliMs), ratio(sh.cliMs)],
    ],
    right: [1, 2, 3, 4, 5],
    notes: [
      `rounds run interleaved (shell, in-process, CLI); shell runs (s): ${sh.ms.runs.map(s).join(', ')}; in-process: ${sh.kubexamMs.runs.map(s).join(', ')}`,
      `kubectl processes spawned by one shell run on the solved cluster: ${sh.kubectlProcesses} (for ${sh.checks.length} checks, each in its own bash; counted by a PATH shim in an untimed run)`,
      'kubexam spawns none: one in-process HTTP client per cluster, tasks graded concurrently.',
      `checks by primitive: ${[...counts].map(([p, n]) => `${p} ${n}`).join(', ')}`,
      `left out of both sides: ${sh.leftOut.length === 0 ? 'none (no custom graders in this exam)' : `${sh.leftOut.map((l) => `${l.key} (${l.reason})`).join(', ')}; the CLI cannot leave them out, so its time includes them`}`,
      `the shell was warm: kubectl's discovery cache was filled by an untimed run first; generated scripts kept in ${sh.dir}`,
    ],
  });
  const rounds = sh.roundDisagreements.every((n) => n === 0) ? 'all agree' : sh.roundDisagreements.join(', ');
  const agree = renderTable({
    title: `3b. does the shell grader agree with kubexam? (pass/fail per check; kubexam skipped/error count as not passed)`,
    headers: ['cluster state', 'agreeing checks', 'shell run s'],
    rows: [
      ['solved (settled)', `${sh.agreement.agreeing}/${sh.agreement.compared}`, ''],
      ['solved, each timed round', rounds, ''],
      ['unsolved, fresh setup (shell first, then kubexam)', `${r.unsolved.agreement.agreeing}/${r.unsolved.agreement.compared}`, s(r.unsolved.shellMs)],
    ],
    right: [2],
  });
  return [timing, agree, disagreementTable('solved', sh.agreement), disagreementTable('unsolved', r.unsolved.agreement)].filter(Boolean).join('\n');
}

function disagreementTable(state: string, a: Agreement): string {
  if (a.disagreements.length === 0) return '';
  const clip = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
  const reasons = new Map<string, string[]>();
  for (const d of a.disagreements) reasons.set(d.why, [...(reasons.get(d.why) ?? []), d.key]);
  const stuck = a.disagreements.filter((d) => d.primitive === 'workload.ready' && d.shell === 'pass' && d.anyway?.startsWith('fail'));
  const skipped = a.disagreements.some((d) => d.anyway !== undefined);
  return renderTable({
    title: `3c. disagreements on the ${state} cluster, and why`,
    headers: ['check', 'kubexam', 'shell', ...(skipped ? ['kubexam primitive run once anyway'] : [])],
    rows: a.disagreements.map((d) => [d.key, clip(d.kubexam, 56), clip(d.shell, 40), ...(skipped ? [clip(d.anyway ?? '', 60)] : [])]),
    notes: [
      ...[...reasons].map(([why, keys]) => `${keys.length === a.disagreements.length ? 'all' : keys.join(', ')}: ${why}`),
      ...(stuck.length > 0
        ? [
            `${stuck.map((d) => d.key).join(', ')}: a false pass for the shell. The rollout is stuck (new Pods never get ready),`,
            '  but the old Pods still serve, so readyReplicas equals spec.replicas, which is all the shell compares;',
            '  kubexam also wants every replica updated.',
          ]
        : []),
      ...(skipped ? ["'run once anyway' = the check's primitive evaluated once after grading, ignoring its requires"] : []),
    ],
  });
}
