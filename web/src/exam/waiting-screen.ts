import type { SessionView } from '../../../server/http/contract.ts';
import type { ProgressLog } from '../components/progress-log.ts';
import { h } from '../dom.ts';
import type { Screen } from './screen.ts';

/** Submitted, being graded: the result page follows by itself. */
export function waitingScreen(view: SessionView, log: ProgressLog): Screen {
  const status = h('p', { class: 'stage__lead' });
  const el = h(
    'section',
    { class: 'stage', 'aria-labelledby': 'stage-title' },
    h(
      'div',
      { class: 'stage__card' },
      h('p', { class: 'stage__eyebrow' }, view.title),
      h('h1', { id: 'stage-title', class: 'stage__title' }, 'Exam submitted'),
      status,
      h('div', { class: 'indeterminate', role: 'progressbar', 'aria-label': 'Grading' }),
      log.el,
    ),
  );
  const update = (v: SessionView) => {
    status.textContent =
      v.state === 'grading'
        ? 'Your cluster is being graded check by check. Your result appears here when grading is done.'
        : 'Your answers are in. Grading starts in a moment; keep this page open to see your result.';
  };
  update(view);
  return { kind: 'waiting', el, update, dispose() {} };
}
