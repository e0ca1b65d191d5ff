/**
 * The HTTP API as the browser sees it: request and response shapes shared by the server
 * (server/http/) and the web UI (web/src/). Paths are listed with each type. All JSON; errors
 * are `ApiError` with a stable `code`.
 *
 * Authentication: `Authorization: Bearer <token>`. The instructor token opens everything; a
 * candidate token opens only its own session's routes. The terminal WebSocket cannot send
 * headers, so the page first asks for a one-time ticket (30 s) and passes it as `?ticket=`.
 */
import type { GradeReport } from '../../graders/types.ts';

export interface ApiError {
  error: { code: string; message: string };
}

export type SessionState = 'provisioning' | 'ready' | 'running' | 'submitted' | 'grading' | 'graded' | 'closed' | 'failed';

/** `practice` shows hints and, after grading, expected/actual per check; `exam` only messages. */
export type SessionMode = 'exam' | 'practice';

/** GET /api/labs (instructor) */
export interface LabSummary {
  id: string;
  title: string;
  curriculum: string;
  domain: string;
  points: number;
  minutes: number;
  requires: string[];
  problems: string[];
}

/** GET /api/exams (instructor) */
export interface ExamSummary {
  id: string;
  title: string;
  curriculum: string;
  durationMinutes: number;
  passPercent: number;
  tasks: string[];
  problems: string[];
  mix: { domain: string; title: string; weight: number; points: number; share: number }[];
}

/** POST /api/sessions (instructor): start a session for a candidate. Exactly one of examId, labId. */
export interface CreateSessionRequest {
  examId?: string;
  labId?: string;
  candidate: string;
  mode?: SessionMode;
  seed?: string;
  /** Override the exam's duration (a lab's default is its `minutes`). */
  durationMinutes?: number;
}

export interface CreateSessionResponse {
  id: string;
  /** Shown once; only its hash is stored. */
  token: string;
  /** Path of the candidate's page, token in the fragment (never sent to the server or its logs). */
  url: string;
}

/** GET /api/sessions (instructor) */
export interface SessionSummary {
  id: string;
  candidate: string;
  title: string;
  kind: 'exam' | 'lab';
  mode: SessionMode;
  state: SessionState;
  createdAt: string;
  deadlineAt: string | null;
  scorePercent: number | null;
  passed: boolean | null;
}

/** One task as the candidate sees it. */
export interface TaskView {
  index: number;
  labId: string;
  title: string;
  domain: string;
  domainTitle: string;
  points: number;
  /** Markdown, params already substituted. */
  task: string;
  /** Only in practice mode. */
  hints: string[];
  flagged: boolean;
}

/** GET /api/sessions/:id (candidate or instructor) */
export interface SessionView extends SessionSummary {
  curriculum: { id: string; title: string; version: string };
  durationMinutes: number;
  passPercent: number;
  tasks: TaskView[];
  notes: string;
  /** Server clock at response time, so the page can correct its own. */
  serverNow: string;
  /** Terminal tabs the candidate can open: `shell`, and on kind one per node. */
  terminals: string[];
  error: string | null;
}

/** PUT /api/sessions/:id/notes */
export interface NotesRequest {
  text: string;
}

/** PUT /api/sessions/:id/flags/:labId */
export interface FlagRequest {
  flagged: boolean;
}

/** POST /api/sessions/:id/start -> SessionView; POST /api/sessions/:id/submit -> SessionView */

/** GET /api/sessions/:id/result: the grade report; in exam mode checks carry no expected/actual/path. */
export type ResultResponse = GradeReport;

/** POST /api/sessions/:id/terminal-ticket */
export interface TicketRequest {
  terminal: string;
}
export interface TicketResponse {
  ticket: string;
  /** Path of the WebSocket, ticket included. */
  url: string;
}

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
export interface RecordingSummary {
  id: string;
  terminal: string;
  startedAt: string;
  bytes: number;
}
/** GET /api/recordings/:id (instructor): the asciicast v2 file. */
