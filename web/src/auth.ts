/**
 * Where tokens live in the browser. A candidate token arrives once in the link's fragment and is
 * kept per tab (sessionStorage, keyed by session); the instructor token is typed once and kept
 * in localStorage. Neither ever goes into a URL the server sees.
 */
const candidateKey = (sessionId: string) => `kubexam.token.${sessionId}`;
const INSTRUCTOR_KEY = 'kubexam.instructorToken';

/** Moves `#token=...` from the address bar into sessionStorage. */
export function adoptTokenFromFragment(sessionId: string): void {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const token = fragment.get('token');
  if (!token) return;
  sessionStorage.setItem(candidateKey(sessionId), token);
  history.replaceState(history.state, '', location.pathname + location.search);
}

/** The candidate's token for a session, kept by this tab. */
export function candidateToken(sessionId: string): string | null {
  return sessionStorage.getItem(candidateKey(sessionId));
}

/** The token that reads a session (its result, say): the candidate's own, else the instructor's. */
export function sessionToken(sessionId: string): string | null {
  return candidateToken(sessionId) ?? instructorToken();
}

export function isInstructorView(sessionId: string): boolean {
  return candidateToken(sessionId) === null && instructorToken() !== null;
}

export function instructorToken(): string | null {
  return localStorage.getItem(INSTRUCTOR_KEY);
}

export function setInstructorToken(token: string | null): void {
  if (token) localStorage.setItem(INSTRUCTOR_KEY, token);
  else localStorage.removeItem(INSTRUCTOR_KEY);
}
