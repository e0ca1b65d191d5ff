import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh secret: 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Session ids are public (they appear in URLs) but unguessable all the same. */
export function newId(): string {
  return randomBytes(12).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time comparison of a presented token with a stored hash. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * One-time tickets for the terminal WebSocket (a browser cannot send headers on an upgrade):
 * issued to an authenticated caller, valid for one use within `ttlMs`.
 */
export class TicketBook {
  private readonly tickets = new Map<string, { sessionId: string; terminal: string; expires: number }>();
  private readonly ttlMs: number;

  constructor(ttlMs = 30_000) {
    this.ttlMs = ttlMs;
  }

  issue(sessionId: string, terminal: string): string {
    this.sweep();
    const ticket = newToken();
    this.tickets.set(ticket, { sessionId, terminal, expires: Date.now() + this.ttlMs });
    return ticket;
  }

  /** The ticket's terminal if it is valid for this session; the ticket is spent either way. */
  redeem(ticket: string, sessionId: string): string | undefined {
    const entry = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    if (!entry || entry.expires < Date.now() || entry.sessionId !== sessionId) return undefined;
    return entry.terminal;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [t, e] of this.tickets) if (e.expires < now) this.tickets.delete(t);
  }
}
