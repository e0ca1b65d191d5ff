import type { SessionView } from '../../../server/http/contract.ts';
import type { ProgressLog } from '../components/progress-log.ts';
import { h } from '../dom.ts';
import type { Screen } from './screen.ts';

/** While the cluster is created and the tasks are set up: what is happening, step by step. */
export function provisioningScreen(view: SessionView, log: ProgressLog): Screen {
  const started = Date.now();
  const elapsed = h('span', { class: 'stage__elapsed' }, '0 s');
  const timer = setInterval(() => {
    elapsed.textContent = `${Math.round((Date.now() - started) / 1000)} s`;
  }, 1000);
  const el = h(
    'section',
    { class: 'stage', 'aria-labelledby': 'stage-title' },
    h(
      'div',
      { class: 'stage__card' },
      h('p', { class: 'stage__eyebrow' }, view.title),
      h('h1', { id: 'stage-title', class: 'stage__title' }, 'Preparing your environment'),
      h(
        'p',
        { class: 'stage__lead' },
        `Hello ${view.candidate}. A Kubernetes cluster is being created for you and every task is being set up on it. This usually takes a few seconds. `,
        elapsed,
      ),
      h('div', { class: 'indeterminate', role: 'progressbar', 'aria-label': 'Provisioning' }),
      log.el,
    ),
  );
  return {
    kind: 'provisioning',
    el,
    update() {},
    dispose: () => clearInterval(timer),
  };
}
