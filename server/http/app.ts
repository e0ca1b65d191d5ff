import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { AppDeps } from './deps.ts';
import { errorBody, onError } from './errors.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { recordingRoutes } from './routes/recordings.ts';
import { sessionRoutes } from './routes/sessions.ts';

/**
 * The HTTP API (see contract.ts) and the built web UI. Request bodies are validated by the
 * route schemas; a failure is a 400 naming the fields. Errors of every kind leave as
 * `{ error: { code, message } }`.
 */
export function createApp(deps: AppDeps): OpenAPIHono {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        const fields = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
        return c.json(errorBody('REQUEST_INVALID', `invalid request: ${fields}`), 400);
      }
      return undefined;
    },
  });
  app.onError(onError);
  app.notFound((c) => c.json(errorBody('ROUTE_NOT_FOUND', `no route ${c.req.method} ${c.req.path}`), 404));
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        // The replay player (asciinema-player) runs WebAssembly; nothing else is evaluated.
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
    }),
  );
  // The unread rest of an oversized body makes the connection unusable: close it.
  app.use('/api/*', bodyLimit({ maxSize: 256 * 1024, onError: (c) => c.json(errorBody('REQUEST_TOO_LARGE', 'request body over 256 KiB'), 413, { connection: 'close' }) }));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

  app.get('/api/health', (c) => c.json({ ok: true }));
  catalogRoutes(app, deps);
  sessionRoutes(app, deps);
  recordingRoutes(app, deps);
  app.doc31('/api/openapi.json', { openapi: '3.1.0', info: { title: 'kubexam API', version: '1' } });

  const dist = deps.webDist;
  if (dist && existsSync(join(dist, 'index.html'))) {
    const root = relative(process.cwd(), dist) || '.';
    app.use('/assets/*', serveStatic({ root }));
    app.get('/favicon.svg', serveStatic({ root }));
    // The UI routes its own paths; every page load gets index.html.
    const page = async () => readFile(join(dist, 'index.html'), 'utf8');
    app.get('/', async (c) => c.html(await page()));
    app.get('/exam/*', async (c) => c.html(await page()));
    app.get('/result/*', async (c) => c.html(await page()));
    app.get('/admin', async (c) => c.html(await page()));
    app.get('/admin/*', async (c) => c.html(await page()));
  }
  return app;
}
