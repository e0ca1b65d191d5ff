import type { LabIssue } from '../labs/issues.ts';
import type { Library } from '../labs/library.ts';
import type { DomainMix } from '../labs/validate.ts';
import type { SessionManager } from '../sessions/manager.ts';
import type { TicketBook } from '../sessions/tokens.ts';
import type { EventHub } from '../sessions/event-hub.ts';

/** Everything the HTTP layer needs, built once at start (server/index.ts). */
export interface AppDeps {
  manager: SessionManager;
  library: Library;
  /** Validation problems by file, computed at start. */
  problems: ReadonlyMap<string, LabIssue[]>;
  mixes: ReadonlyMap<string, DomainMix[]>;
  hub: EventHub;
  tickets: TicketBook;
  instructorTokenHash: string;
  recordingsDir: string;
  /** Built web UI (web/dist), served when present. */
  webDist?: string;
  /** Session creations allowed per minute per caller. */
  sessionCreateLimit: number;
}
