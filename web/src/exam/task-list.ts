import type { TaskView } from '../../../server/http/contract.ts';
import { h } from '../dom.ts';

/** The numbered task list: points, domain and flag state; a click selects the task. */
export class TaskList {
  readonly el: HTMLElement;
  private readonly buttons: HTMLButtonElement[] = [];
  private readonly summary: HTMLParagraphElement;

  constructor(
    private readonly tasks: TaskView[],
    onSelect: (position: number) => void,
  ) {
    this.summary = h('p', { class: 'tasklist__summary' });
    const list = h('ol', { class: 'tasklist__items' });
    tasks.forEach((task, position) => {
      const button = h(
        'button',
        { type: 'button', class: 'tasklist__item', 'data-task': task.labId },
        h('span', { class: 'tasklist__number', 'aria-hidden': 'true' }, String(position + 1)),
        h(
          'span',
          { class: 'tasklist__body' },
          h('span', { class: 'tasklist__title' }, task.title),
          h('span', { class: 'tasklist__meta' }, `${task.points} pts · ${task.domainTitle}`),
        ),
        h('span', { class: 'tasklist__flag', 'aria-hidden': 'true', title: 'Flagged for review' }, '⚑'),
      );
      button.addEventListener('click', () => onSelect(position));
      this.buttons.push(button);
      list.append(h('li', {}, button));
    });
    this.el = h('nav', { class: 'tasklist', 'aria-label': 'Tasks' }, h('h2', { class: 'panel-title' }, 'Tasks'), this.summary, list);
    tasks.forEach((_, position) => this.refresh(position));
    this.refreshSummary();
  }

  select(position: number): void {
    this.buttons.forEach((button, i) => {
      if (i === position) button.setAttribute('aria-current', 'step');
      else button.removeAttribute('aria-current');
    });
    this.buttons[position]?.scrollIntoView?.({ block: 'nearest' });
  }

  refresh(position: number): void {
    const task = this.tasks[position];
    const button = this.buttons[position];
    if (!task || !button) return;
    button.classList.toggle('is-flagged', task.flagged);
    button.setAttribute(
      'aria-label',
      `Task ${position + 1}: ${task.title}, ${task.points} points, ${task.domainTitle}${task.flagged ? ', flagged for review' : ''}`,
    );
    this.refreshSummary();
  }

  private refreshSummary(): void {
    const points = this.tasks.reduce((sum, t) => sum + t.points, 0);
    const flagged = this.tasks.filter((t) => t.flagged).length;
    this.summary.textContent = `${this.tasks.length} tasks · ${points} points${flagged ? ` · ${flagged} flagged` : ''}`;
  }
}
