import type { ProgressEvent } from '../../../server/progress.ts';
import { h } from '../dom.ts';

interface Step {
  scope: string;
  message: string;
  state: 'active' | 'done' | 'fail';
  row: HTMLLIElement;
  bar: HTMLSpanElement;
}

/**
 * A log of progress steps: each new message of a scope is a line, and a line is done when its
 * scope moves on. A replayed event (the stream reconnected) does not add a line twice.
 */
export class ProgressLog {
  readonly el: HTMLOListElement = h('ol', { class: 'progress-log', 'aria-live': 'polite', 'aria-label': 'Progress' });
  private readonly steps: Step[] = [];
  private readonly seen = new Set<string>();

  /** `accept` keeps only the events this log is about (the stream replays every earlier step). */
  constructor(private readonly accept: (event: ProgressEvent) => boolean = () => true) {}

  add(event: ProgressEvent): void {
    if (!this.accept(event)) return;
    const key = `${event.scope}\u0000${event.message}\u0000${event.state ?? ''}`;
    if (this.seen.has(key) && event.fraction === undefined) return;
    this.seen.add(key);
    const open = this.steps.filter((s) => s.scope === event.scope && s.state === 'active');
    let step = open.find((s) => s.message === event.message);
    for (const other of open) if (other !== step) this.setState(other, 'done');
    if (!step) {
      step = this.createStep(event);
      this.steps.push(step);
      this.el.append(step.row);
    }
    if (event.fraction !== undefined) {
      step.bar.hidden = false;
      step.bar.style.setProperty('--fraction', String(Math.max(0, Math.min(1, event.fraction))));
    }
    if (event.state === 'done') this.setState(step, 'done');
    if (event.state === 'fail') this.setState(step, 'fail');
    step.row.scrollIntoView?.({ block: 'nearest' });
  }

  /** Marks every open line done (the work finished) or failed. */
  finish(outcome: 'done' | 'fail'): void {
    for (const step of this.steps) if (step.state === 'active') this.setState(step, outcome);
  }

  get isEmpty(): boolean {
    return this.steps.length === 0;
  }

  private createStep(event: ProgressEvent): Step {
    const bar = h('span', { class: 'progress-log__bar', hidden: true });
    const row = h(
      'li',
      { class: 'progress-log__step is-active' },
      h('span', { class: 'progress-log__mark', 'aria-hidden': 'true' }),
      h('span', { class: 'progress-log__scope' }, event.scope),
      h('span', { class: 'progress-log__message' }, event.message),
      bar,
    );
    return { scope: event.scope, message: event.message, state: 'active', row, bar };
  }

  private setState(step: Step, state: Step['state']): void {
    step.state = state;
    step.row.classList.toggle('is-active', state === 'active');
    step.row.classList.toggle('is-done', state === 'done');
    step.row.classList.toggle('is-fail', state === 'fail');
    if (state !== 'active') step.bar.hidden = true;
  }
}
