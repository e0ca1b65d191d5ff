import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isKubexamError } from '../errors.ts';
import { debug } from '../log.ts';

/** The HTTP status of an error code: the only place codes meet statuses. */
export function statusOf(code: string): ContentfulStatusCode {
  if (code === 'UNAUTHORIZED') return 401;
  if (code === 'FORBIDDEN') return 403;
  if (code === 'RATE_LIMITED') return 429;
  if (code.endsWith('_NOT_FOUND')) return 404;
  if (code === 'SESSION_STATE' || code === 'RESULT_NOT_READY') return 409;
  if (code === 'REQUEST_INVALID' || code.endsWith('_INVALID') || code === 'CAPABILITY_MISSING') return 400;
  return 500;
}

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/** Maps any thrown error to `{ error: { code, message } }`; internal details stay in the debug log. */
export function onError(error: Error, c: Context) {
  if (isKubexamError(error)) return c.json(errorBody(error.code, error.message), statusOf(error.code));
  debug(`internal error on ${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
  return c.json(errorBody('INTERNAL', 'internal error; the server log has details when run with --debug'), 500);
}
