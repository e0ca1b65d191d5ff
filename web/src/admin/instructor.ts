import { Api, ApiRequestError } from '../api.ts';
import { instructorToken, setInstructorToken } from '../auth.ts';
import { h } from '../dom.ts';
import type { Cleanup } from '../router.ts';
import { tokenGate } from './token-gate.ts';

/**
 * Runs an admin page with the instructor's Api, asking for the token first when there is none
 * and again when the server refuses it. `unauthorized(error)` handles a refusal (true) so the
 * page can ignore it.
 */
export function withInstructor(main: HTMLElement, signOut: HTMLButtonElement, render: (api: Api, unauthorized: (error: unknown) => boolean) => Cleanup | void): Cleanup {
  let cleanup: Cleanup | void;
  const start = (problem?: string) => {
    cleanup?.();
    cleanup = undefined;
    main.replaceChildren();
    const token = instructorToken();
    signOut.hidden = token === null;
    if (!token) {
      main.append(tokenGate(() => start(), problem));
      return;
    }
    const unauthorized = (error: unknown) => {
      if (!(error instanceof ApiRequestError) || (error.status !== 401 && error.status !== 403)) return false;
      setInstructorToken(null);
      start(`The server refused this token (${error.code}). Check it and sign in again.`);
      return true;
    };
    cleanup = render(new Api(token), unauthorized);
  };
  start();
  return () => cleanup?.();
}

export function signOutButton(): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'button button--ghost button--small' }, 'Sign out');
  button.addEventListener('click', () => {
    setInstructorToken(null);
    location.assign('/admin');
  });
  return button;
}
