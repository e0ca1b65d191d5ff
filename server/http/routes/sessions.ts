import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { rateLimiter } from 'hono-rate-limiter';
import { streamSSE } from 'hono/streaming';
import { KubexamError } from '../../errors.ts';
import { sessionView, summary } from '../../sessions/views.ts';
import { requireInstructor, requireSessionAccess } from '../auth.ts';
import {
  ApiErrorSchema,
  CreateSessionRequestSchema,
  CreateSessionResponseSchema,
  FlagRequestSchema,
  NotesRequestSchema,
  ResultResponseSchema,
  SessionSummarySchema,
  SessionViewSchema,
  TicketRequestSchema,
  TicketResponseSchema,
} from '../contract.ts';
import type { AppDeps } from '../deps.ts';
import { errorBody } from '../errors.ts';

const bearer = [{ bearer: [] }];
const idParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' } }) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const errors = { 400: json(ApiErrorSchema, 'bad request'), 401: json(ApiErrorSchema, 'no token'), 403: json(ApiErrorSchema, 'wrong token'), 404: json(ApiErrorSchema, 'no such session'), 409: json(ApiErrorSchema, 'not in a state that allows it') };

export function sessionRoutes(app: OpenAPIHono, deps: AppDeps): void {
  const { manager, library } = deps;

  app.use(
    '/api/sessions',
    rateLimiter({
      windowMs: 60_000,
      limit: deps.sessionCreateLimit,
      // Only creation is limited; reading the list is cheap.
      skip: (c) => c.req.method !== 'POST',
      keyGenerator: (c) => c.req.header('authorization') ?? c.req.header('x-forwarded-for') ?? 'anonymous',
      handler: (c) => c.json(errorBody('RATE_LIMITED', `at most ${deps.sessionCreateLimit} sessions per minute; try again shortly`), 429),
    }),
  );

  app.openapi(
    createRoute({ method: 'post', path: '/api/sessions', summary: 'Start a session for a candidate (provisions a cluster)', security: bearer, request: { body: { content: { 'application/json': { schema: CreateSessionRequestSchema } }, required: true } }, responses: { 201: json(CreateSessionResponseSchema, 'created'), ...errors, 429: json(ApiErrorSchema, 'rate limited') } }),
    (c) => {
      requireInstructor(c, deps.instructorTokenHash);
      const { row, token } = manager.create(c.req.valid('json'));
      return c.json({ id: row.id, token, url: `/exam/${row.id}#token=${token}` }, 201);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/api/sessions', summary: 'List sessions', security: bearer, responses: { 200: json(z.array(SessionSummarySchema), 'sessions'), ...errors } }),
    (c) => {
      requireInstructor(c, deps.instructorTokenHash);
      return c.json(manager.store.list().map(summary), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/api/sessions/{id}', summary: 'A session as its exam page shows it', security: bearer, request: { params: idParam }, responses: { 200: json(SessionViewSchema, 'session'), ...errors } }),
    async (c) => {
      const { id } = c.req.valid('param');
      requireSessionAccess(c, id, manager, deps.instructorTokenHash);
      return c.json(await sessionView(manager, library, manager.get(id)), 200);
    },
  );

  for (const [action, summaryText] of [
    ['start', 'Start the clock'],
    ['submit', 'Submit and grade (answers when the report is stored)'],
  ] as const) {
    app.openapi(
      createRoute({ method: 'post', path: `/api/sessions/{id}/${action}`, summary: summaryText, security: bearer, request: { params: idParam }, responses: { 200: json(SessionViewSchema, 'session'), ...errors } }),
      async (c) => {
        const { id } = c.req.valid('param');
        requireSessionAccess(c, id, manager, deps.instructorTokenHash);
        const row = action === 'start' ? manager.start(id) : await manager.submit(id);
        return c.json(await sessionView(manager, library, row), 200);
      },
    );
  }

  app.openapi(
    createRoute({ method: 'put', path: '/api/sessions/{id}/notes', summary: 'Save the candidate\'s notes', security: bearer, request: { params: idParam, body: { content: { 'application/json': { schema: NotesRequestSchema } }, required: true } }, responses: { 204: { description: 'saved' }, ...errors } }),
    (c) => {
      const { id } = c.req.valid('param');
      requireSessionAccess(c, id, manager, deps.instructorTokenHash);
      manager.setNotes(id, c.req.valid('json').text);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({ method: 'put', path: '/api/sessions/{id}/flags/{labId}', summary: 'Flag a task for review', security: bearer, request: { params: idParam.extend({ labId: z.string().min(1).max(100).openapi({ param: { name: 'labId', in: 'path' } }) }), body: { content: { 'application/json': { schema: FlagRequestSchema } }, required: true } }, responses: { 204: { description: 'saved' }, ...errors } }),
    (c) => {
      const { id, labId } = c.req.valid('param');
      requireSessionAccess(c, id, manager, deps.instructorTokenHash);
      manager.setFlag(id, labId, c.req.valid('json').flagged);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/api/sessions/{id}/result', summary: 'The grade report (exam mode: messages only for the candidate)', security: bearer, request: { params: idParam }, responses: { 200: json(ResultResponseSchema, 'report'), ...errors } }),
    (c) => {
      const { id } = c.req.valid('param');
      const audience = requireSessionAccess(c, id, manager, deps.instructorTokenHash);
      return c.json(manager.result(id, audience === 'candidate') as unknown as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/api/sessions/{id}/terminal-ticket', summary: 'A one-time ticket for the terminal WebSocket', security: bearer, request: { params: idParam, body: { content: { 'application/json': { schema: TicketRequestSchema } }, required: true } }, responses: { 200: json(TicketResponseSchema, 'ticket'), ...errors } }),
    async (c) => {
      const { id } = c.req.valid('param');
      requireSessionAccess(c, id, manager, deps.instructorTokenHash);
      const { terminal } = c.req.valid('json');
      const row = manager.get(id);
      const view = await sessionView(manager, library, row);
      if (!view.terminals.includes(terminal)) throw new KubexamError('TERMINAL_NOT_FOUND', `no terminal "${terminal}"; this session has ${view.terminals.join(', ')}`);
      if (row.state !== 'running') throw new KubexamError('SESSION_STATE', `session is ${row.state}; terminals open while it runs`);
      const ticket = deps.tickets.issue(id, terminal);
      return c.json({ ticket, url: `/api/sessions/${id}/terminal?ticket=${encodeURIComponent(ticket)}` }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'delete', path: '/api/sessions/{id}', summary: 'Close a session and delete its cluster', security: bearer, request: { params: idParam }, responses: { 200: json(SessionSummarySchema, 'closed'), ...errors } }),
    async (c) => {
      const { id } = c.req.valid('param');
      requireInstructor(c, deps.instructorTokenHash);
      return c.json(summary(await manager.close(id)), 200);
    },
  );

  // Server-Sent Events are not described by the OpenAPI document (no schema for streams).
  app.get('/api/sessions/:id/events', (c) => {
    const id = c.req.param('id');
    requireSessionAccess(c, id, manager, deps.instructorTokenHash);
    const row = manager.get(id);
    return streamSSE(c, async (stream) => {
      // Replay what already happened (a page opened mid-provisioning sees every step), then live.
      for (const e of manager.store.events(id).filter((e) => e.type === 'provisioning')) {
        await stream.writeSSE({ event: 'progress', data: JSON.stringify(e.data) });
      }
      await stream.writeSSE({ event: 'state', data: JSON.stringify({ state: row.state, deadlineAt: row.deadlineAt, error: row.error }) });
      const queue: { event: string; data: string }[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = deps.hub.subscribe(id, (e) => {
        queue.push({ event: e.type, data: JSON.stringify(e.data) });
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      while (!stream.aborted) {
        const next = queue.shift();
        if (next) {
          await stream.writeSSE(next);
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 15_000);
        });
        if (queue.length === 0 && !stream.aborted) await stream.writeSSE({ event: 'ping', data: '{}' });
      }
      unsubscribe();
    });
  });
}
