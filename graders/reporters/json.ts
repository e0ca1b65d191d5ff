import type { CheckResult, DomainResult, GradeReport, TaskResult } from '../types.ts';

/**
 * The report as pretty JSON. Keys are written in the order the types declare them, whatever
 * order the report was assembled in, so two reports diff cleanly and tools can rely on it.
 */
export function renderJson(report: GradeReport): string {
  const ordered = {
    kind: report.kind,
    id: report.id,
    title: report.title,
    curriculum: { id: report.curriculum.id, version: report.curriculum.version, title: report.curriculum.title },
    tasks: report.tasks.map(orderTask),
    domains: report.domains.map(orderDomain),
    points: report.points,
    maxPoints: report.maxPoints,
    scorePercent: report.scorePercent,
    passPercent: report.passPercent,
    passed: report.passed,
    incomplete: report.incomplete,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
  } satisfies GradeReport;
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

function orderTask(task: TaskResult): TaskResult {
  return {
    labId: task.labId,
    title: task.title,
    domain: task.domain,
    domainTitle: task.domainTitle,
    points: task.points,
    maxPoints: task.maxPoints,
    checks: task.checks.map(orderCheck),
    durationMs: task.durationMs,
  };
}

function orderCheck(check: CheckResult): CheckResult {
  // JSON.stringify leaves out the optional fields a check did not set.
  return {
    id: check.id,
    status: check.status,
    points: check.points,
    maxPoints: check.maxPoints,
    message: check.message,
    path: check.path,
    expected: check.expected,
    actual: check.actual,
    durationMs: check.durationMs,
  };
}

function orderDomain(domain: DomainResult): DomainResult {
  return {
    id: domain.id,
    title: domain.title,
    weight: domain.weight,
    points: domain.points,
    maxPoints: domain.maxPoints,
    percent: domain.percent,
  };
}
