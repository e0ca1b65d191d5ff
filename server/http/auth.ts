import type { Context } from 'hono';
import { KubexamError } from '../errors.ts';
import type { SessionManager } from '../sessions/manager.ts';
import { tokenMatches } from '../sessions/tokens.ts';

export type Audience = 'instructor' | 'candidate';

function bearer(c: Context): string | undefined {
  const header = c.req.header('authorization');
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/** Who is calling: the instructor token opens everything, nothing else opens admin routes. */
export function requireInstructor(c: Context, instructorTokenHash: string): void {
  const token = bearer(c);
  if (!token) throw new KubexamError('UNAUTHORIZED', 'send the instructor token as `Authorization: Bearer <token>`');
  if (!tokenMatches(token, instructorTokenHash)) throw new KubexamError('FORBIDDEN', 'this token does not open instructor routes');
}

/**
 * Access to one session: the instructor, or the candidate holding that session's token. A
 * candidate token of another session gets 403, never that session's data.
 */
export function requireSessionAccess(c: Context, sessionId: string, manager: SessionManager, instructorTokenHash: string): Audience {
  const token = bearer(c);
  if (!token) throw new KubexamError('UNAUTHORIZED', 'send your session token as `Authorization: Bearer <token>`');
  if (tokenMatches(token, instructorTokenHash)) return 'instructor';
  const row = manager.store.get(sessionId);
  if (!row || !tokenMatches(token, row.tokenHash)) throw new KubexamError('FORBIDDEN', 'this token does not open that session');
  return 'candidate';
}
