import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { formatIssue } from '../../labs/issues.ts';
import { ExamSummarySchema, LabSummarySchema } from '../contract.ts';
import type { AppDeps } from '../deps.ts';
import { requireInstructor } from '../auth.ts';

const bearer = [{ bearer: [] }];

/** Labs and exams with their validation state, for the admin pages. */
export function catalogRoutes(app: OpenAPIHono, deps: AppDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/labs',
      summary: 'List labs with their validation problems',
      security: bearer,
      responses: { 200: { description: 'labs', content: { 'application/json': { schema: z.array(LabSummarySchema) } } } },
    }),
    (c) => {
      requireInstructor(c, deps.instructorTokenHash);
      return c.json(
        [...deps.library.labs.values()].map((l) => ({
          id: l.value.metadata.id,
          title: l.value.metadata.title,
          curriculum: l.value.metadata.curriculum,
          domain: l.value.metadata.domain,
          points: l.value.metadata.points,
          minutes: l.value.metadata.minutes,
          requires: l.value.cluster.requires,
          problems: (deps.problems.get(l.file) ?? []).map(formatIssue),
        })),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/exams',
      summary: 'List exams with their validation problems and domain mix',
      security: bearer,
      responses: { 200: { description: 'exams', content: { 'application/json': { schema: z.array(ExamSummarySchema) } } } },
    }),
    (c) => {
      requireInstructor(c, deps.instructorTokenHash);
      return c.json(
        [...deps.library.exams.values()].map((e) => ({
          id: e.value.metadata.id,
          title: e.value.metadata.title,
          curriculum: e.value.metadata.curriculum,
          durationMinutes: e.value.metadata.durationMinutes,
          passPercent: e.value.metadata.passPercent,
          tasks: e.value.tasks,
          problems: (deps.problems.get(e.file) ?? []).map(formatIssue),
          mix: deps.mixes.get(e.value.metadata.id) ?? [],
        })),
        200,
      );
    },
  );
}
