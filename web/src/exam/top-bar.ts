import { brandMark } from '../components/brand.ts';
import type { SessionView } from '../../../server/http/contract.ts';
import { formatDuration } from '../clock.ts';
import { h } from '../dom.ts';

/** Title, candidate, countdown and the Submit button, always in sight. */
export class TopBar {
  readonly el: HTMLElement;
  readonly submitButton: HTMLButtonElement;
  private readonly countdown: HTMLSpanElement;
  private readonly timer: HTMLDivElement;
  private readonly link: HTMLSpanElement;

  constructor(view: SessionView) {
    this.countdown = h('span', { class: 'countdown__value' }, '--:--');
    this.timer = h(
      'div',
      { class: 'countdown', role: 'timer', 'aria-label': 'Time left' },
      h('span', { class: 'countdown__label' }, 'Time left'),
      this.countdown,
    );
    this.link = h('span', { class: 'connection', role: 'status', hidden: true }, 'Reconnecting to the server…');
    this.submitButton = h('button', { type: 'button', class: 'button button--danger' }, 'Submit exam');
    this.el = h(
      'header',
      { class: 'topbar' },
      h('span', { class: 'brand brand--compact' }, brandMark(), 'kubexam'),
      h(
        'div',
        { class: 'topbar__title' },
        h('h1', {}, view.title),
        h(
          'span',
          { class: 'topbar__meta' },
          view.candidate,
          ' · ',
          view.curriculum.title,
          view.mode === 'practice' ? h('span', { class: 'badge badge--practice' }, 'Practice') : null,
        ),
      ),
      this.link,
      this.timer,
      this.submitButton,
    );
  }

  setRemaining(ms: number | null): void {
    this.countdown.textContent = ms === null ? '--:--' : formatDuration(ms);
    const minutes = ms === null ? Infinity : ms / 60_000;
    this.timer.classList.toggle('countdown--warning', minutes <= 15 && minutes > 5);
    this.timer.classList.toggle('countdown--danger', minutes <= 5);
    this.timer.classList.toggle('countdown--over', ms === 0);
  }

  setConnected(up: boolean): void {
    this.link.hidden = up;
  }
}
