import { brandMark } from './brand.ts';
import { h } from '../dom.ts';

/**
 * The frame of the non-exam pages: brand, a few links, and the main area. The exam page has
 * its own top bar (countdown, submit) and uses the whole window.
 */
export function pageShell(outlet: HTMLElement, options: { title: string; nav?: Node[]; wide?: boolean }): HTMLElement {
  document.title = `${options.title} · kubexam`;
  const main = h('main', { class: `page__main${options.wide ? ' page__main--wide' : ''}`, id: 'main' });
  outlet.append(
    h(
      'div',
      { class: 'page' },
      h(
        'header',
        { class: 'page__header' },
        h('a', { class: 'brand', href: '/' }, brandMark(), 'kubexam'),
        h('nav', { class: 'page__nav', 'aria-label': 'Main' }, ...(options.nav ?? [])),
      ),
      main,
    ),
  );
  return main;
}

/** A centred card with a heading and some content: errors, waiting states, empty states. */
export function messageCard(options: { tone?: 'info' | 'error' | 'success'; title: string; body?: (Node | string)[]; actions?: Node[] }): HTMLElement {
  return h(
    'section',
    { class: `message-card message-card--${options.tone ?? 'info'}`, role: options.tone === 'error' ? 'alert' : null },
    h('h1', { class: 'message-card__title' }, options.title),
    ...(options.body ?? []).map((part) => (typeof part === 'string' ? h('p', {}, part) : part)),
    options.actions?.length ? h('div', { class: 'message-card__actions' }, ...options.actions) : null,
  );
}
