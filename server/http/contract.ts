/**
 * The HTTP API as the browser sees it: zod schemas (validation and the OpenAPI document at
 * /api/openapi.json) and the types derived from them, shared by the server (server/http/) and
 * the web UI (web/src/, type-only imports). Errors are `ApiError` with a stable `code`.
 *
 * Authentication: `Authorization: Bearer <token>`. The instructor token opens everything; a
 * candidate token opens only its own session's routes. The terminal WebSocket cannot send
 * headers, so the page first asks for a one-time ticket (30 s) and passes it as `?ticket=`.
 */
import { z } from '@hono/zod-openapi';
import type { GradeReport } from '../../graders/types.ts';

export const ApiErrorSchema = z
  .object({ error: z.object({ code: z.string().openapi({ example: 'SESSION_NOT_FOUND' }), message: z.string() }) })
  .openapi('ApiError');
export type ApiError = z.infer<typeof ApiErrorSchema>;

export const SessionStateSchema = z.enum(['provisioning', 'ready', 'running', 'submitted', 'grading', 'graded', 'closed', 'failed']);
export type SessionState = z.infer<typeof SessionStateSchema>;

/** `practice` shows hints and, after grading, expected/actual per check; `exam` only messages. */
export const SessionModeSchema = z.enum(['exam', 'practice']);
export type SessionMode = z.infer<typeof SessionModeSchema>;

/** GET /api/labs (instructor) */
export const LabSummarySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    curriculum: z.string(),
    domain: z.string(),
    points: z.number(),
    minutes: z.number(),
    requires: z.array(z.string()),
    problems: z.array(z.string()),
  })
  .openapi('LabSummary');
export type LabSummary = z.infer<typeof LabSummarySchema>;

/** GET /api/exams (instructor) */
export const ExamSummarySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    curriculum: z.string(),
    durationMinutes: z.number(),
    passPercent: z.number(),
    tasks: z.array(z.string()),
    problems: z.array(z.string()),
    mix: z.array(z.object({ domain: z.string(), title: z.string(), weight: z.number(), points: z.number(), share: z.number() })),
  })
  .openapi('ExamSummary');
export type ExamSummary = z.infer<typeof ExamSummarySchema>;

/** POST /api/sessions (instructor): start a session for a candidate. Exactly one of examId, labId. */
export const CreateSessionRequestSchema = z
  .strictObject({
    examId: z.string().min(1).max(100).optional(),
    labId: z.string().min(1).max(100).optional(),
    candidate: z.string().trim().min(1).max(100),
    mode: SessionModeSchema.optional(),
    seed: z.string().min(1).max(64).optional(),
    /** Override the exam's duration (a lab's default is twice its `minutes`). */
    durationMinutes: z.number().int().min(1).max(600).optional(),
  })
  .refine((r) => Boolean(r.examId) !== Boolean(r.labId), { message: 'give exactly one of examId or labId' })
  .openapi('CreateSessionRequest');
export type CreateSessionRequest = z.infer<typeof CreateSessionRequestSchema>;

export const CreateSessionResponseSchema = z
  .object({
    id: z.string(),
    /** Shown once; only its hash is stored. */
    token: z.string(),
    /** Path of the candidate's page, token in the fragment (never sent to the server or its logs). */
    url: z.string(),
  })
  .openapi('CreateSessionResponse');
export type CreateSessionResponse = z.infer<typeof CreateSessionResponseSchema>;

/** GET /api/sessions (instructor) */
export const SessionSummarySchema = z
  .object({
    id: z.string(),
    candidate: z.string(),
    title: z.string(),
    kind: z.enum(['exam', 'lab']),
    mode: SessionModeSchema,
    state: SessionStateSchema,
    createdAt: z.string(),
    deadlineAt: z.string().nullable(),
    scorePercent: z.number().nullable(),
    passed: z.boolean().nullable(),
  })
  .openapi('SessionSummary');
export type SessionSummary = z.infer<typeof SessionSummarySchema>;

/** One task as the candidate sees it. */
export const TaskViewSchema = z.object({
  index: z.number(),
  labId: z.string(),
  title: z.string(),
  domain: z.string(),
  domainTitle: z.string(),
  points: z.number(),
  /** Markdown, params already substituted. */
  task: z.string(),
  /** Only in practice mode. */
  hints: z.array(z.string()),
  flagged: z.boolean(),
});
export type TaskView = z.infer<typeof TaskViewSchema>;

/** GET /api/sessions/:id (candidate or instructor) */
export const SessionViewSchema = SessionSummarySchema.extend({
  curriculum: z.object({ id: z.string(), title: z.string(), version: z.string() }),
  durationMinutes: z.number(),
  passPercent: z.number(),
  tasks: z.array(TaskViewSchema),
  notes: z.string(),
  /** Server clock at response time, so the page can correct its own. */
  serverNow: z.string(),
  /** Terminal tabs the candidate can open: `shell`, and on kind one per node. */
  terminals: z.array(z.string()),
  error: z.string().nullable(),
}).openapi('SessionView');
export type SessionView = z.infer<typeof SessionViewSchema>;

/** PUT /api/sessions/:id/notes */
export const NotesRequestSchema = z.strictObject({ text: z.string().max(100_000) }).openapi('NotesRequest');
export type NotesRequest = z.infer<typeof NotesRequestSchema>;

/** PUT /api/sessions/:id/flags/:labId */
export const FlagRequestSchema = z.strictObject({ flagged: z.boolean() }).openapi('FlagRequest');
export type FlagRequest = z.infer<typeof FlagRequestSchema>;

/** GET /api/sessions/:id/result: the grade report; in exam mode checks carry no expected/actual/path. */
export const ResultResponseSchema = z.record(z.string(), z.unknown()).openapi('GradeReport', { description: 'graders/types.ts GradeReport' });
export type ResultResponse = GradeReport;

/** POST /api/sessions/:id/terminal-ticket */
export const TicketRequestSchema = z.strictObject({ terminal: z.string().min(1).max(64) }).openapi('TicketRequest');
export type TicketRequest = z.infer<typeof TicketRequestSchema>;
export const TicketResponseSchema = z
  .object({
    ticket: z.string(),
    /** Path of the WebSocket, ticket included. */
    url: z.string(),
  })
  .openapi('TicketResponse');
export type TicketResponse = z.infer<typeof TicketResponseSchema>;

/**
 * GET /api/sessions/:id/events: Server-Sent Events. `event: progress` carries a ProgressEvent
 * (server/progress.ts); `event: state` carries `{ state, deadlineAt, error }`; `event: alert`
 * carries `{ minutesLeft }` at 30, 15 and 5 minutes before the deadline.
 */
export interface StateEvent {
  state: SessionState;
  deadlineAt: string | null;
  error: string | null;
}

/** GET /api/sessions/:id/recordings (instructor) */
export const RecordingSummarySchema = z
  .object({ id: z.string(), terminal: z.string(), startedAt: z.string(), bytes: z.number() })
  .openapi('RecordingSummary');
export type RecordingSummary = z.infer<typeof RecordingSummarySchema>;
/** GET /api/recordings/:id (instructor): the asciicast v2 file. */
