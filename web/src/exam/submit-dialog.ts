import { h } from '../dom.ts';

/** Asks before submitting: the answers cannot change afterwards. Resolves true on "Submit". */
export function confirmSubmit(options: { flagged: number; remaining: string | null }): Promise<boolean> {
  const submit = h('button', { type: 'button', class: 'button button--danger', value: 'submit' }, 'Submit');
  const cancel = h('button', { type: 'button', class: 'button', value: 'cancel', autofocus: true }, 'Cancel');
  const details: string[] = ['Your cluster is graded as it stands now; you cannot go back to the tasks.'];
  if (options.flagged > 0) details.push(`${options.flagged} ${options.flagged === 1 ? 'task is' : 'tasks are'} still flagged for review.`);
  if (options.remaining) details.push(`You have ${options.remaining} left.`);
  const dialog = h(
    'dialog',
    { class: 'dialog', 'aria-labelledby': 'submit-title', 'aria-describedby': 'submit-desc' },
    h('h2', { id: 'submit-title', class: 'dialog__title' }, 'Submit exam?'),
    h('div', { id: 'submit-desc', class: 'dialog__body' }, ...details.map((d) => h('p', {}, d))),
    h('div', { class: 'dialog__actions' }, cancel, submit),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    const close = (result: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(result);
    };
    submit.addEventListener('click', () => close(true));
    cancel.addEventListener('click', () => close(false));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(false);
    });
    dialog.showModal();
    cancel.focus();
  });
}
