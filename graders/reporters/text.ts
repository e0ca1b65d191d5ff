import type { CheckResult, CheckStatus, GradeReport } from '../types.ts';

export interface TextOptions {
  /**
   * Colour with ANSI escape codes.
   * @default false
   */
  color?: boolean;
  /**
   * List every check with its message, not only the ones that failed or could not be graded.
   * @default false
   */
  details?: boolean;
}

const marks: Record<CheckStatus, string> = { pass: '✓', fail: '✗', error: '!', skipped: '-' };
const statusColor: Record<CheckStatus, number> = { pass: 32, fail: 31, error: 33, skipped: 2 };
const ansi = /\x1b\[[0-9;]*m/g;

/** A report for a terminal: tasks, what went wrong and where, domains, and the verdict. */
export function renderText(report: GradeReport, options: TextOptions = {}): string {
  const paint = (code: number, text: string): string => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const mark = (status: CheckStatus): string => paint(statusColor[status], marks[status]);
  const out: string[] = [];

  out.push(paint(1, `${report.title} (${report.kind} ${report.id})`));
  out.push(`Curriculum: ${report.curriculum.title}, version ${report.curriculum.version}`);
  out.push(`Started ${report.startedAt}, took ${formatDuration(report.durationMs)}`);
  out.push('');

  out.push(
    ...table(
      ['Task', 'Domain', 'Points', 'Checks'],
      report.tasks.map((t) => [t.labId, t.domainTitle, `${formatNumber(t.points)}/${formatNumber(t.maxPoints)}`, t.checks.map((c) => mark(c.status)).join(' ')]),
      ['l', 'l', 'r', 'l'],
    ),
  );
  out.push(`${marks.pass} pass  ${marks.fail} fail  ${marks.error} could not grade  ${marks.skipped} skipped (a required check did not pass)`);

  const listed = report.tasks.flatMap((task) =>
    task.checks.filter((c) => options.details || c.status === 'fail' || c.status === 'error').map((check) => ({ task: task.labId, check })),
  );
  if (listed.length > 0) {
    out.push('');
    out.push(paint(1, options.details ? 'Checks' : 'Checks not passed'));
    for (const { task, check } of listed) out.push(...describeCheck(task, check, mark));
  }

  out.push('');
  out.push(
    ...table(
      ['Domain', 'Weight', 'Points', 'Percent'],
      report.domains.map((d) => [d.title, `${formatNumber(d.weight)}%`, `${formatNumber(d.points)}/${formatNumber(d.maxPoints)}`, formatPercent(d.percent)]),
      ['l', 'r', 'r', 'r'],
    ),
  );

  out.push('');
  out.push(`Points ${formatNumber(report.points)}/${formatNumber(report.maxPoints)}`);
  const verdict = report.passed ? paint(32, 'PASSED') : paint(31, 'FAILED');
  out.push(paint(1, `SCORE ${formatPercent(report.scorePercent)} — ${verdict} (pass mark ${formatNumber(report.passPercent)}%)`));
  if (report.incomplete) out.push(paint(33, 'Warning: some checks could not be graded (error) — the score may understate the candidate'));
  return `${out.join('\n')}\n`;
}

function describeCheck(task: string, check: CheckResult, mark: (s: CheckStatus) => string): string[] {
  const lines = [`  ${mark(check.status)} ${task}/${check.id}: ${check.message}`];
  if (check.status === 'pass') return lines;
  if (check.path !== undefined) lines.push(`      path      ${check.path}`);
  if ('expected' in check) lines.push(`      expected  ${formatValue(check.expected)}`);
  if ('actual' in check) lines.push(`      actual    ${formatValue(check.actual)}`);
  return lines;
}

/** Compact JSON, cut at `limit` characters so one value cannot flood the report. */
export function formatValue(value: unknown, limit = 120): string {
  const text = value === undefined ? '(absent)' : (JSON.stringify(value) ?? String(value));
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/**
 * One decimal, cut rather than rounded: a score of 65.96 with a pass mark of 66 reads 65.9%, not
 * a 66.0% that failed.
 */
export function formatPercent(percent: number): string {
  const tenths = Math.floor(Math.round(percent * 100) / 10);
  return `${(tenths / 10).toFixed(1)}%`;
}

function formatNumber(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (h > 0) return `${h}h ${pad(m)}m ${pad(s)}s`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

function table(header: string[], rows: string[][], align: ('l' | 'r')[]): string[] {
  const width = (text: string): number => [...text.replace(ansi, '')].length;
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => {
        const gap = ' '.repeat((widths[i] ?? 0) - width(cell));
        return align[i] === 'r' ? gap + cell : cell + gap;
      })
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
