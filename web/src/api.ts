/**
 * The HTTP API of server/http/contract.ts as the page calls it: JSON with
 * `Authorization: Bearer`, `ApiError` bodies turned into thrown `ApiRequestError`s, and the
 * session event stream read with fetch so that it can carry the same header.
 */
import type {
  ApiError,
  CreateSessionRequest,
  CreateSessionResponse,
  ExamSummary,
  LabSummary,
  RecordingSummary,
  ResultResponse,
  SessionSummary,
  SessionView,
  StateEvent,
  TicketResponse,
} from '../../server/http/contract.ts';
import type { ProgressEvent } from '../../server/progress.ts';
import { SseParser } from './sse.ts';

export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(
    /** The server's stable code, or `NETWORK` / `HTTP_<status>` when it sent none. */
    readonly code: string,
    message: string,
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Session events as `GET /api/sessions/:id/events` streams them. */
export type SessionEvent =
  | { type: 'progress'; data: ProgressEvent }
  | { type: 'state'; data: StateEvent }
  | { type: 'alert'; data: { minutesLeft: number } };

export interface EventStreamHandlers {
  onEvent: (event: SessionEvent) => void;
  /** Called on every (re)connect: events sent while disconnected are lost, so resynchronise. */
  onOpen?: () => void;
  onDown?: (error: ApiRequestError) => void;
  /** An error the stream will not retry (401, 403, 404). */
  onFatal?: (error: ApiRequestError) => void;
}

export interface ClockSample {
  /** server clock minus local clock, in milliseconds. */
  offsetMs: number;
}

export class Api {
  constructor(private readonly token: string | null) {}

  getSession(id: string): Promise<SessionView> {
    return this.json('GET', `/api/sessions/${enc(id)}`);
  }
  startSession(id: string): Promise<SessionView> {
    return this.json('POST', `/api/sessions/${enc(id)}/start`);
  }
  submitSession(id: string): Promise<SessionView> {
    return this.json('POST', `/api/sessions/${enc(id)}/submit`);
  }
  putNotes(id: string, text: string, keepalive = false): Promise<void> {
    return this.json('PUT', `/api/sessions/${enc(id)}/notes`, { text }, keepalive);
  }
  putFlag(id: string, labId: string, flagged: boolean): Promise<void> {
    return this.json('PUT', `/api/sessions/${enc(id)}/flags/${enc(labId)}`, { flagged });
  }
  terminalTicket(id: string, terminal: string): Promise<TicketResponse> {
    return this.json('POST', `/api/sessions/${enc(id)}/terminal-ticket`, { terminal });
  }
  getResult(id: string): Promise<ResultResponse> {
    return this.json('GET', `/api/sessions/${enc(id)}/result`);
  }
  listLabs(): Promise<LabSummary[]> {
    return this.json('GET', '/api/labs');
  }
  listExams(): Promise<ExamSummary[]> {
    return this.json('GET', '/api/exams');
  }
  listSessions(): Promise<{ sessions: SessionSummary[]; clock: ClockSample }> {
    const sentAt = Date.now();
    return this.request('GET', '/api/sessions').then(async (res) => ({
      sessions: (await res.json()) as SessionSummary[],
      clock: clockFromDateHeader(res, sentAt),
    }));
  }
  createSession(body: CreateSessionRequest): Promise<CreateSessionResponse> {
    return this.json('POST', '/api/sessions', body);
  }
  listRecordings(id: string): Promise<RecordingSummary[]> {
    return this.json('GET', `/api/sessions/${enc(id)}/recordings`);
  }
  /** The asciicast v2 file of a recording. */
  async recordingText(recordingId: string): Promise<string> {
    const res = await this.request('GET', `/api/recordings/${enc(recordingId)}`, undefined, { headers: { Accept: 'application/x-asciicast, */*' } });
    return res.text();
  }

  /** Streams the session's events until `signal` aborts, reconnecting with backoff. */
  streamEvents(id: string, handlers: EventStreamHandlers, signal: AbortSignal): void {
    void this.eventLoop(`/api/sessions/${enc(id)}/events`, handlers, signal);
  }

  private async eventLoop(path: string, handlers: EventStreamHandlers, signal: AbortSignal): Promise<void> {
    let delayMs = 1000;
    let lastEventId: string | undefined;
    while (!signal.aborted) {
      const parser = new SseParser();
      try {
        const headers: Record<string, string> = { Accept: 'text/event-stream' };
        if (lastEventId !== undefined) headers['Last-Event-ID'] = lastEventId;
        const res = await this.request('GET', path, undefined, { signal, headers });
        if (!res.body) throw new ApiRequestError('NETWORK', 'The event stream has no body', res.status);
        handlers.onOpen?.();
        delayMs = 1000;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const message of parser.push(value)) {
            const event = toSessionEvent(message.event, message.data);
            if (event) handlers.onEvent(event);
          }
        }
        lastEventId = parser.lastEventId ?? lastEventId;
        if (!signal.aborted) handlers.onDown?.(new ApiRequestError('NETWORK', 'The event stream ended', 0));
      } catch (error) {
        if (signal.aborted) return;
        const apiError = error instanceof ApiRequestError ? error : networkError(error);
        if ([401, 403, 404].includes(apiError.status)) {
          handlers.onFatal?.(apiError);
          return;
        }
        lastEventId = parser.lastEventId ?? lastEventId;
        handlers.onDown?.(apiError);
      }
      await sleep(parser.retryMs ?? delayMs, signal);
      delayMs = Math.min(delayMs * 2, 15_000);
    }
  }

  private async json<T>(method: string, path: string, body?: unknown, keepalive = false): Promise<T> {
    const res = await this.request(method, path, body, { keepalive });
    if (res.status === 204 || !(res.headers.get('Content-Type') ?? '').includes('json')) return undefined as T;
    return (await res.json()) as T;
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    init: { signal?: AbortSignal; headers?: Record<string, string>; keepalive?: boolean } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', ...init.headers };
    if (this.token) headers['Authorization'] = `Bearer ${this.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: init.signal ?? null,
        keepalive: init.keepalive ?? false,
      });
    } catch (error) {
      throw networkError(error);
    }
    if (!res.ok) throw await errorFromResponse(res);
    return res;
  }
}

async function errorFromResponse(res: Response): Promise<ApiRequestError> {
  const fallback = new ApiRequestError(`HTTP_${res.status}`, `${res.status} ${res.statusText || 'error'}`.trim(), res.status);
  try {
    const body = (await res.json()) as Partial<ApiError>;
    if (body.error && typeof body.error.code === 'string') {
      return new ApiRequestError(body.error.code, body.error.message ?? body.error.code, res.status);
    }
  } catch {
    return fallback;
  }
  return fallback;
}

function networkError(cause: unknown): ApiRequestError {
  return new ApiRequestError('NETWORK', 'The kubexam server cannot be reached', 0, { cause });
}

function toSessionEvent(type: string, data: string): SessionEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (type === 'progress') return { type, data: parsed as ProgressEvent };
  if (type === 'state') return { type, data: parsed as StateEvent };
  if (type === 'alert') return { type, data: parsed as { minutesLeft: number } };
  return undefined;
}

function clockFromDateHeader(res: Response, sentAt: number): ClockSample {
  const date = Date.parse(res.headers.get('Date') ?? '');
  if (Number.isNaN(date)) return { offsetMs: 0 };
  // The header has one-second resolution; +500 ms centres it.
  return { offsetMs: date + 500 - (sentAt + Date.now()) / 2 };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

const enc = encodeURIComponent;

/** A message for any thrown value, with the server's code when there is one. */
export function describeError(error: unknown): string {
  if (error instanceof ApiRequestError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
