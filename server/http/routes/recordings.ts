import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { KubexamError } from '../../errors.ts';
import { requireInstructor } from '../auth.ts';
import { ApiErrorSchema, RecordingSummarySchema } from '../contract.ts';
import type { AppDeps } from '../deps.ts';

const bearer = [{ bearer: [] }];

/** Terminal recordings (asciicast v2) for instructor replay. */
export function recordingRoutes(app: OpenAPIHono, deps: AppDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/sessions/{id}/recordings',
      summary: 'List the terminal recordings of a session',
      security: bearer,
      request: { params: z.object({ id: z.string().min(1).max(64) }) },
      responses: {
        200: { description: 'recordings', content: { 'application/json': { schema: z.array(RecordingSummarySchema) } } },
        401: { description: 'no token', content: { 'application/json': { schema: ApiErrorSchema } } },
      },
    }),
    (c) => {
      requireInstructor(c, deps.instructorTokenHash);
      const { id } = c.req.valid('param');
      deps.manager.get(id);
      return c.json(deps.manager.store.recordings(id).map((r) => ({ id: r.id, terminal: r.terminal, startedAt: r.startedAt, bytes: r.bytes })), 200);
    },
  );

  app.get('/api/recordings/:id', (c) => {
    requireInstructor(c, deps.instructorTokenHash);
    const row = deps.manager.store.recording(c.req.param('id'));
    if (!row) throw new KubexamError('RECORDING_NOT_FOUND', `no recording ${c.req.param('id')}`);
    const stream = Readable.toWeb(createReadStream(join(deps.recordingsDir, row.file))) as ReadableStream;
    return c.body(stream, 200, { 'content-type': 'application/x-asciicast', 'content-disposition': `attachment; filename="${row.id}.cast"` });
  });
}
