import '../styles/result.css';
import type { ResultResponse, SessionView } from '../../../server/http/contract.ts';
import { Api, ApiRequestError, describeError } from '../api.ts';
import { adoptTokenFromFragment, isInstructorView, sessionToken } from '../auth.ts';
import { formatDateTime } from '../clock.ts';
import { messageCard, pageShell } from '../components/page-shell.ts';
import { passBadge } from '../components/state-badge.ts';
import { h } from '../dom.ts';
import { domainChart, domainTable, fmt } from '../result/domain-chart.ts';
import { scoreGauge } from '../result/score-gauge.ts';
import { taskResults } from '../result/task-results.ts';
import type { Page } from '../router.ts';

/** `/result/:sessionId`: score, pass or fail, the domains against their weights, every check. */
export const resultPage: Page = (outlet, params) => {
  const sessionId = params['sessionId'] ?? '';
  adoptTokenFromFragment(sessionId);
  const instructor = isInstructorView(sessionId);
  const main = pageShell(outlet, {
    title: 'Result',
    nav: instructor ? [h('a', { href: `/admin/sessions/${encodeURIComponent(sessionId)}` }, 'Session detail'), h('a', { href: '/admin' }, 'Admin')] : [],
  });
  const token = sessionToken(sessionId);
  if (!token) {
    main.append(messageCard({ tone: 'error', title: 'No access to this result', body: ['Open the result from the exam tab you took it in, or from the instructor admin.'] }));
    return;
  }
  const api = new Api(token);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const load = async () => {
    main.replaceChildren(h('p', { class: 'loading', role: 'status' }, 'Loading the result…'));
    try {
      const session = await api.getSession(sessionId);
      if (session.state !== 'graded' && session.state !== 'closed') {
        main.replaceChildren(notYet(session, sessionId));
        if (!disposed) timer = setTimeout(() => void load(), 3000);
        return;
      }
      const report = await api.getResult(sessionId);
      if (disposed) return;
      document.title = `Result: ${report.title} · kubexam`;
      main.replaceChildren(renderResult(report, session));
    } catch (error) {
      if (disposed) return;
      const retry = h('button', { type: 'button', class: 'button' }, 'Try again');
      retry.addEventListener('click', () => void load());
      const missing = error instanceof ApiRequestError && error.status === 404;
      main.replaceChildren(messageCard({ tone: 'error', title: missing ? 'No result for this session' : 'The result cannot be loaded', body: [describeError(error)], actions: [retry] }));
    }
  };
  void load();
  return () => {
    disposed = true;
    clearTimeout(timer);
  };
};

function hasDetails(report: ResultResponse): boolean {
  return report.tasks.some((t) => t.checks.some((c) => c.path !== undefined || c.expected !== undefined || c.actual !== undefined));
}

function notYet(session: SessionView, sessionId: string): HTMLElement {
  const grading = session.state === 'submitted' || session.state === 'grading';
  return messageCard({
    title: grading ? 'Grading in progress' : 'Not graded yet',
    body: [grading ? 'The cluster is being graded; this page shows the result as soon as it is ready.' : `${session.title} is ${session.state}; the result appears after the exam is submitted.`],
    actions: grading ? [] : [h('a', { class: 'button', href: `/exam/${encodeURIComponent(sessionId)}` }, 'Back to the exam')],
  });
}

function renderResult(report: ResultResponse, session: SessionView): HTMLElement {
  const tasksFull = report.tasks.filter((t) => t.points === t.maxPoints).length;
  return h(
    'div',
    { class: 'result' },
    h(
      'section',
      { class: 'card result__hero', 'aria-labelledby': 'result-title' },
      scoreGauge(report.scorePercent, report.passPercent, report.passed),
      h(
        'div',
        { class: 'result__summary' },
        h('p', { class: 'eyebrow' }, report.curriculum.title, ` · v${report.curriculum.version}`),
        h('h1', { id: 'result-title', class: 'result__title' }, report.title),
        h('p', { class: 'result__candidate' }, session.candidate, ' · ', formatDateTime(report.startedAt), session.mode === 'practice' ? h('span', { class: 'badge badge--practice' }, 'Practice') : null),
        h(
          'div',
          { class: 'result__verdict' },
          passBadge(report.passed),
          h('span', { class: 'result__score', 'data-testid': 'score' }, `${fmt(report.scorePercent)}%`),
          h('span', { class: 'muted' }, `pass mark ${report.passPercent}%`),
        ),
        h(
          'dl',
          { class: 'facts facts--inline' },
          h('dt', {}, 'Points'),
          h('dd', {}, `${fmt(report.points)} / ${fmt(report.maxPoints)}`),
          h('dt', {}, 'Tasks with full marks'),
          h('dd', {}, `${tasksFull} / ${report.tasks.length}`),
          h('dt', {}, 'Graded in'),
          h('dd', {}, `${(report.durationMs / 1000).toFixed(1)} s`),
        ),
      ),
    ),
    report.incomplete
      ? h('div', { class: 'banner banner--warning', role: 'note' }, h('span', { class: 'banner__icon', 'aria-hidden': 'true' }, '⚠'), h('span', { class: 'banner__text' }, 'Some checks could not be evaluated (status Error): the score may understate the result.'))
      : null,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'domains-title' },
      h('h2', { id: 'domains-title', class: 'card__title' }, 'Score by domain'),
      domainChart(report.domains, report.passPercent),
      domainTable(report.domains),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'tasks-title' },
      h('h2', { id: 'tasks-title', class: 'card__title' }, 'Tasks'),
      session.mode === 'exam' && !hasDetails(report) ? h('p', { class: 'muted' }, 'Exam mode: each check shows its message only.') : null,
      taskResults(report.tasks),
    ),
  );
}
