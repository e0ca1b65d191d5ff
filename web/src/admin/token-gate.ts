import { setInstructorToken } from '../auth.ts';
import { h } from '../dom.ts';

/** Asks once for the instructor token; it is kept in this browser's localStorage. */
export function tokenGate(onSaved: () => void, problem?: string): HTMLElement {
  const input = h('input', { type: 'password', id: 'instructor-token', name: 'token', autocomplete: 'current-password', required: true, spellcheck: 'false' });
  const form = h(
    'form',
    { class: 'card token-gate', 'aria-labelledby': 'token-title' },
    h('h1', { id: 'token-title', class: 'card__title' }, 'Instructor sign-in'),
    h('p', { class: 'muted' }, 'Paste the instructor token the kubexam server printed when it started (or set in its configuration). It stays in this browser until you sign out.'),
    problem ? h('p', { class: 'form-error', role: 'alert' }, problem) : null,
    h('div', { class: 'field' }, h('label', { for: 'instructor-token' }, 'Instructor token'), input),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button--primary' }, 'Sign in')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    setInstructorToken(token);
    onSaved();
  });
  queueMicrotask(() => input.focus());
  return form;
}
