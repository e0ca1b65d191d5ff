import type { CheckResult, CheckStatus, TaskResult } from '../../../graders/types.ts';
import { h } from '../dom.ts';
import { fmt } from './domain-chart.ts';

const statusLabel: Record<CheckStatus, string> = { pass: 'Passed', fail: 'Failed', error: 'Error', skipped: 'Skipped' };
const statusIcon: Record<CheckStatus, string> = { pass: '✓', fail: '✗', error: '!', skipped: '–' };

/** Each task with its points and its checks; tasks short of full marks start open. */
export function taskResults(tasks: TaskResult[]): HTMLElement {
  return h('div', { class: 'task-results' }, ...tasks.map((task, i) => taskCard(task, i)));
}

function taskCard(task: TaskResult, index: number): HTMLElement {
  const full = task.points === task.maxPoints;
  const tone = full ? 'full' : task.points > 0 ? 'partial' : 'none';
  return h(
    'details',
    { class: `task-result task-result--${tone}`, open: !full },
    h(
      'summary',
      { class: 'task-result__summary' },
      h('span', { class: 'task-result__number' }, String(index + 1)),
      h('span', { class: 'task-result__title' }, task.title, h('span', { class: 'task-result__domain' }, task.domainTitle)),
      h('span', { class: 'task-result__points' }, `${fmt(task.points)} / ${fmt(task.maxPoints)} pts`),
      h('span', { class: 'minibar', 'aria-hidden': 'true' }, h('span', { class: 'minibar__fill', style: `width:${task.maxPoints ? (task.points / task.maxPoints) * 100 : 0}%` })),
    ),
    h(
      'table',
      { class: 'table table--compact checks' },
      h('caption', { class: 'visually-hidden' }, `Checks of task ${index + 1}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Check'), h('th', { scope: 'col', class: 'num' }, 'Points'), h('th', { scope: 'col' }, 'Message'))),
      h('tbody', {}, ...task.checks.map(checkRow)),
    ),
  );
}

function checkRow(check: CheckResult): HTMLTableRowElement {
  const diff = [
    check.expected !== undefined ? h('div', { class: 'check__value check__value--expected' }, h('span', { class: 'check__key' }, 'expected'), h('pre', {}, show(check.expected))) : null,
    check.actual !== undefined ? h('div', { class: 'check__value check__value--actual' }, h('span', { class: 'check__key' }, 'actual'), h('pre', {}, show(check.actual))) : null,
  ];
  const detail = [
    check.path ? h('div', { class: 'check__path' }, h('span', { class: 'check__key' }, 'path'), h('code', {}, check.path)) : null,
    diff.some(Boolean) ? h('div', { class: 'check__diff' }, ...diff) : null,
  ];
  return h(
    'tr',
    { class: `check check--${check.status}` },
    h('td', {}, h('span', { class: `status status--${check.status}` }, h('span', { 'aria-hidden': 'true' }, statusIcon[check.status]), ` ${statusLabel[check.status]}`)),
    h('td', {}, h('code', {}, check.id)),
    h('td', { class: 'num' }, `${fmt(check.points)} / ${fmt(check.maxPoints)}`),
    h('td', {}, h('div', {}, check.message), ...detail),
  );
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}
