import { messageCard, pageShell } from '../components/page-shell.ts';
import { h } from '../dom.ts';
import type { Page } from '../router.ts';

export const landingPage: Page = (outlet) => {
  const main = pageShell(outlet, { title: 'Hands-on Kubernetes exams', nav: [h('a', { href: '/admin' }, 'Admin')] });
  main.classList.add('landing');
  main.append(
    h(
      'section',
      { class: 'landing__hero' },
      h('h1', {}, 'Hands-on Kubernetes exams on real clusters'),
      h(
        'p',
        { class: 'landing__lead' },
        'kubexam gives every candidate their own cluster, a terminal beside the task list and a countdown, then grades the live cluster and scores each exam domain by the curriculum weights.',
      ),
      h('div', { class: 'landing__actions' }, h('a', { class: 'button button--primary', href: '/admin' }, 'Open the instructor admin')),
    ),
    h(
      'ul',
      { class: 'landing__points' },
      h('li', {}, h('strong', {}, 'Candidates'), ' open the link their instructor sends them; the token travels in the link.'),
      h('li', {}, h('strong', {}, 'Instructors'), ' validate labs, start sessions, watch them live and replay every terminal.'),
      h('li', {}, h('strong', {}, 'CI'), ' runs the same graders headless with ', h('code', {}, 'kubexam grade'), '.'),
    ),
  );
};

export const notFoundPage: Page = (outlet) => {
  const main = pageShell(outlet, { title: 'Not found' });
  main.append(
    messageCard({
      tone: 'error',
      title: 'Page not found',
      body: [`Nothing lives at ${location.pathname}. Candidates open the exam link their instructor sent them.`],
      actions: [h('a', { class: 'button', href: '/' }, 'Home')],
    }),
  );
};
