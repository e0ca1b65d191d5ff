import type { SessionMode, TaskView } from '../../../server/http/contract.ts';
import { h } from '../dom.ts';
import { renderMarkdown } from '../markdown.ts';

export interface TaskPanelOptions {
  mode: SessionMode;
  count: number;
  onFlag: (task: TaskView, flagged: boolean) => void;
  onMove: (delta: number) => void;
}

/** The selected task: its text from markdown, flag toggle, hints in practice mode. */
export class TaskPanel {
  readonly el: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly meta: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly hints: HTMLDivElement;
  private readonly flagButton: HTMLButtonElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private task: TaskView | undefined;

  constructor(private readonly options: TaskPanelOptions) {
    this.heading = h('h2', { class: 'task__title', id: 'task-title' });
    this.meta = h('div', { class: 'task__meta' });
    this.body = h('div', { class: 'task__body markdown' });
    this.hints = h('div', { class: 'task__hints' });
    this.flagButton = h('button', { type: 'button', class: 'button button--flag', 'aria-pressed': 'false' }, h('span', { 'aria-hidden': 'true' }, '⚑ '), 'Flag for review');
    this.flagButton.addEventListener('click', () => {
      if (!this.task) return;
      this.options.onFlag(this.task, !this.task.flagged);
    });
    this.prev = h('button', { type: 'button', class: 'button button--ghost' }, '← Previous task');
    this.next = h('button', { type: 'button', class: 'button button--ghost' }, 'Next task →');
    this.prev.addEventListener('click', () => this.options.onMove(-1));
    this.next.addEventListener('click', () => this.options.onMove(1));
    this.body.addEventListener('click', (event) => copyCode(event));
    this.el = h(
      'article',
      { class: 'task', 'aria-labelledby': 'task-title' },
      h('header', { class: 'task__header' }, h('div', { class: 'task__heading' }, this.heading, this.meta), this.flagButton),
      this.body,
      this.hints,
      h('footer', { class: 'task__footer' }, this.prev, this.next),
    );
  }

  show(task: TaskView, position: number): void {
    this.task = task;
    this.heading.textContent = `Task ${position + 1}: ${task.title}`;
    this.meta.replaceChildren(
      h('span', { class: 'chip chip--points' }, `${task.points} points`),
      h('span', { class: 'chip' }, task.domainTitle),
      h('span', { class: 'chip chip--muted' }, `${position + 1} of ${this.options.count}`),
    );
    this.body.innerHTML = renderMarkdown(task.task);
    this.hints.replaceChildren(...this.renderHints(task));
    this.prev.disabled = position === 0;
    this.next.disabled = position === this.options.count - 1;
    this.setFlagged(task.flagged);
    this.el.scrollTop = 0;
  }

  setFlagged(flagged: boolean): void {
    this.flagButton.setAttribute('aria-pressed', String(flagged));
    this.flagButton.classList.toggle('is-on', flagged);
  }

  private renderHints(task: TaskView): Node[] {
    if (this.options.mode !== 'practice' || task.hints.length === 0) return [];
    return [
      h(
        'details',
        { class: 'hints' },
        h('summary', {}, task.hints.length === 1 ? 'Show hint' : `Show ${task.hints.length} hints`),
        h('ol', {}, ...task.hints.map((hint) => {
          const item = h('li', { class: 'markdown' });
          item.innerHTML = renderMarkdown(hint);
          return item;
        })),
      ),
    ];
  }
}

/** Exam UIs let candidates click a name in the task text to copy it, as PSI's does. */
function copyCode(event: MouseEvent): void {
  const code = (event.target as Element | null)?.closest('code');
  if (!code || code.closest('pre') || !navigator.clipboard) return;
  void navigator.clipboard.writeText(code.textContent ?? '').then(() => {
    code.classList.add('is-copied');
    setTimeout(() => code.classList.remove('is-copied'), 900);
  }, () => undefined);
}
