import type { SessionView } from '../../../server/http/contract.ts';
import { describeError } from '../api.ts';
import type { ProgressLog } from '../components/progress-log.ts';
import { h } from '../dom.ts';
import type { Screen } from './screen.ts';

/** The cluster is ready; the clock starts only when the candidate says so. */
export function readyScreen(view: SessionView, log: ProgressLog, start: () => Promise<void>): Screen {
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const button = h('button', { type: 'button', class: 'button button--primary button--large' }, 'Start exam');
  button.addEventListener('click', () => {
    button.disabled = true;
    button.textContent = 'Starting…';
    error.hidden = true;
    start().catch((e: unknown) => {
      button.disabled = false;
      button.textContent = 'Start exam';
      error.textContent = describeError(e);
      error.hidden = false;
    });
  });
  log.finish('done');
  const points = view.tasks.reduce((sum, t) => sum + t.points, 0);
  const el = h(
    'section',
    { class: 'stage', 'aria-labelledby': 'stage-title' },
    h(
      'div',
      { class: 'stage__card' },
      h('p', { class: 'stage__eyebrow' }, view.curriculum.title),
      h('h1', { id: 'stage-title', class: 'stage__title' }, view.title),
      h('p', { class: 'stage__lead' }, `Your environment is ready, ${view.candidate}. The countdown starts when you press Start exam.`),
      h(
        'dl',
        { class: 'facts' },
        fact('Duration', `${view.durationMinutes} minutes`),
        fact('Tasks', String(view.tasks.length)),
        fact('Points', String(points)),
        fact('Pass mark', `${view.passPercent}%`),
        fact('Mode', view.mode === 'practice' ? 'Practice (hints shown)' : 'Exam'),
      ),
      h(
        'ul',
        { class: 'stage__rules' },
        h('li', {}, 'Each task says which cluster objects to create or fix; the terminal on the right has kubectl configured.'),
        h('li', {}, 'Flag tasks to come back to them; your notes are saved as you type.'),
        h('li', {}, 'At the deadline the exam is submitted and graded as the cluster stands.'),
      ),
      h('div', { class: 'stage__actions' }, button),
      error,
      log.isEmpty ? null : h('details', { class: 'stage__log' }, h('summary', {}, 'Setup log'), log.el),
    ),
  );
  return { kind: 'ready', el, update() {}, dispose() {} };
}

function fact(term: string, value: string): HTMLElement[] {
  return [h('dt', {}, term), h('dd', {}, value)];
}
