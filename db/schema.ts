import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The session store. Times are ISO strings (UTC); JSON columns hold data the server writes and
 * reads whole (reports, event payloads). Secrets are never stored in clear: candidate tokens
 * as SHA-256 hashes, and kubeconfigs stay files on disk referenced by cluster name.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['exam', 'lab'] }).notNull(),
    /** Exam id or lab id, by kind. */
    targetId: text('target_id').notNull(),
    title: text('title').notNull(),
    candidate: text('candidate').notNull(),
    mode: text('mode', { enum: ['exam', 'practice'] }).notNull(),
    tokenHash: text('token_hash').notNull(),
    state: text('state', { enum: ['provisioning', 'ready', 'running', 'submitted', 'grading', 'graded', 'closed', 'failed'] }).notNull(),
    seed: text('seed').notNull(),
    provider: text('provider', { enum: ['kwok', 'kind'] }).notNull(),
    clusterName: text('cluster_name'),
    durationMinutes: integer('duration_minutes').notNull(),
    createdAt: text('created_at').notNull(),
    startedAt: text('started_at'),
    deadlineAt: text('deadline_at'),
    submittedAt: text('submitted_at'),
    gradedAt: text('graded_at'),
    scorePercent: real('score_percent'),
    passed: integer('passed', { mode: 'boolean' }),
    report: text('report', { mode: 'json' }),
    notes: text('notes').notNull().default(''),
    error: text('error'),
  },
  (t) => [index('sessions_state').on(t.state)],
);

export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    at: text('at').notNull(),
    /** provisioning | state | connect | disconnect | submit | grade | alert | error */
    type: text('type').notNull(),
    message: text('message').notNull(),
    data: text('data', { mode: 'json' }),
  },
  (t) => [index('events_session').on(t.sessionId, t.id)],
);

export const flags = sqliteTable(
  'flags',
  {
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    labId: text('lab_id').notNull(),
    flagged: integer('flagged', { mode: 'boolean' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.labId] })],
);

export const checkResults = sqliteTable(
  'check_results',
  {
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    labId: text('lab_id').notNull(),
    checkId: text('check_id').notNull(),
    status: text('status', { enum: ['pass', 'fail', 'error', 'skipped'] }).notNull(),
    points: real('points').notNull(),
    maxPoints: real('max_points').notNull(),
    message: text('message').notNull(),
    path: text('path'),
    expected: text('expected', { mode: 'json' }),
    actual: text('actual', { mode: 'json' }),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.labId, t.checkId] })],
);

export const recordings = sqliteTable(
  'recordings',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    terminal: text('terminal').notNull(),
    /** Relative to the data dir's recordings folder. */
    file: text('file').notNull(),
    startedAt: text('started_at').notNull(),
    endedAt: text('ended_at'),
    bytes: integer('bytes').notNull().default(0),
  },
  (t) => [index('recordings_session').on(t.sessionId)],
);
