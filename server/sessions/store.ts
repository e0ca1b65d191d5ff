import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { checkResults, events, flags, recordings, sessions } from '../../db/schema.ts';
import type { GradeReport } from '../../graders/types.ts';
import type { SessionState } from '../http/contract.ts';

export type SessionRow = typeof sessions.$inferSelect;
export type NewSession = typeof sessions.$inferInsert;
export type RecordingRow = typeof recordings.$inferSelect;

/** States in which a session still owns a cluster and may change. */
export const liveStates: readonly SessionState[] = ['provisioning', 'ready', 'running', 'submitted', 'grading'];

/** All reads and writes of session data; the manager holds the rules, this holds the SQL. */
export class SessionStore {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  insert(row: NewSession): void {
    this.db.insert(sessions).values(row).run();
  }

  get(id: string): SessionRow | undefined {
    return this.db.select().from(sessions).where(eq(sessions.id, id)).get();
  }

  list(): SessionRow[] {
    return this.db.select().from(sessions).orderBy(asc(sessions.createdAt)).all();
  }

  live(): SessionRow[] {
    return this.db.select().from(sessions).where(inArray(sessions.state, [...liveStates])).all();
  }

  update(id: string, patch: Partial<NewSession>): SessionRow {
    this.db.update(sessions).set(patch).where(eq(sessions.id, id)).run();
    const row = this.get(id);
    if (!row) throw new Error(`session ${id} vanished`);
    return row;
  }

  addEvent(sessionId: string, type: string, message: string, data?: unknown): void {
    this.db.insert(events).values({ sessionId, at: new Date().toISOString(), type, message, data: data ?? null }).run();
  }

  events(sessionId: string) {
    return this.db.select().from(events).where(eq(events.sessionId, sessionId)).orderBy(asc(events.id)).all();
  }

  setFlag(sessionId: string, labId: string, flagged: boolean): void {
    this.db.insert(flags).values({ sessionId, labId, flagged }).onConflictDoUpdate({ target: [flags.sessionId, flags.labId], set: { flagged } }).run();
  }

  flags(sessionId: string): Map<string, boolean> {
    return new Map(this.db.select().from(flags).where(eq(flags.sessionId, sessionId)).all().map((f) => [f.labId, f.flagged]));
  }

  /** Stores the report with the session and one row per check, replacing an earlier grading. */
  saveReport(sessionId: string, report: GradeReport, gradedAt: string): SessionRow {
    this.db.transaction((tx) => {
      tx.delete(checkResults).where(eq(checkResults.sessionId, sessionId)).run();
      for (const task of report.tasks) {
        for (const c of task.checks) {
          tx.insert(checkResults)
            .values({ sessionId, labId: task.labId, checkId: c.id, status: c.status, points: c.points, maxPoints: c.maxPoints, message: c.message, path: c.path ?? null, expected: c.expected ?? null, actual: c.actual ?? null })
            .run();
        }
      }
      tx.update(sessions).set({ state: 'graded', report, scorePercent: report.scorePercent, passed: report.passed, gradedAt }).where(eq(sessions.id, sessionId)).run();
    });
    return this.get(sessionId) as SessionRow;
  }

  addRecording(row: typeof recordings.$inferInsert): void {
    this.db.insert(recordings).values(row).run();
  }

  finishRecording(id: string, bytes: number): void {
    this.db.update(recordings).set({ bytes, endedAt: new Date().toISOString() }).where(eq(recordings.id, id)).run();
  }

  recordings(sessionId: string): RecordingRow[] {
    return this.db.select().from(recordings).where(eq(recordings.sessionId, sessionId)).orderBy(asc(recordings.startedAt)).all();
  }

  recording(id: string): RecordingRow | undefined {
    return this.db.select().from(recordings).where(eq(recordings.id, id)).get();
  }

  checkResults(sessionId: string, labId: string) {
    return this.db.select().from(checkResults).where(and(eq(checkResults.sessionId, sessionId), eq(checkResults.labId, labId))).all();
  }
}
