import type { CheckResult, GradeReport, TaskResult } from '../types.ts';
import { formatValue } from './text.ts';

/**
 * JUnit XML as GitLab, Jenkins and the GitHub test reporters read it: one testsuite per task,
 * one testcase per check. Written by hand, as vitest's own JUnit reporter is: the format is a
 * few elements and an escaping rule, not worth an XML dependency.
 */
export function renderJunit(report: GradeReport): string {
  const checks = report.tasks.flatMap((t) => t.checks);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${xmlAttributes({ name: report.title, ...counts(checks), time: seconds(report.durationMs) })}>`,
    ...report.tasks.flatMap((task) => testsuite(report.id, task)),
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
}

function testsuite(reportId: string, task: TaskResult): string[] {
  return [
    `  <testsuite${xmlAttributes({ name: task.labId, ...counts(task.checks), time: seconds(task.durationMs) })}>`,
    '    <properties>',
    `      <property${xmlAttributes({ name: 'domain', value: task.domain })}/>`,
    `      <property${xmlAttributes({ name: 'points', value: String(task.points) })}/>`,
    `      <property${xmlAttributes({ name: 'maxPoints', value: String(task.maxPoints) })}/>`,
    '    </properties>',
    ...task.checks.flatMap((check) => testcase(`${reportId}.${task.labId}`, check)),
    '  </testsuite>',
  ];
}

function testcase(classname: string, check: CheckResult): string[] {
  const open = `    <testcase${xmlAttributes({ classname, name: check.id, time: seconds(check.durationMs) })}`;
  switch (check.status) {
    case 'pass':
      return [`${open}/>`];
    case 'skipped':
      return [`${open}>`, `      <skipped${xmlAttributes({ message: check.message })}/>`, '    </testcase>'];
    case 'fail':
    case 'error': {
      const element = check.status === 'fail' ? 'failure' : 'error';
      return [
        `${open}>`,
        `      <${element}${xmlAttributes({ message: check.message, type: check.status })}>${escapeXml(body(check))}</${element}>`,
        '    </testcase>',
      ];
    }
  }
}

function body(check: CheckResult): string {
  const lines = [check.message];
  if (check.path !== undefined) lines.push(`path: ${check.path}`);
  if ('expected' in check) lines.push(`expected: ${formatValue(check.expected, 2000)}`);
  if ('actual' in check) lines.push(`actual: ${formatValue(check.actual, 2000)}`);
  return lines.join('\n');
}

function counts(checks: readonly CheckResult[]): Record<'tests' | 'failures' | 'errors' | 'skipped', string> {
  const count = (status: CheckResult['status']): string => String(checks.filter((c) => c.status === status).length);
  return { tests: String(checks.length), failures: count('fail'), errors: count('error'), skipped: count('skipped') };
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

export function xmlAttributes(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`)
    .join('');
}

/** Characters XML 1.0 does not allow at all, not even escaped (control codes, lone surrogates). */
const illegal = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(text: string): string {
  return text
    .replace(illegal, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Attribute values also keep their line breaks and tabs, which parsers would turn into spaces. */
function escapeAttribute(text: string): string {
  return escapeXml(text).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
