import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const apiServer = 'http://127.0.0.1:8080';

/**
 * `npx vite build --config web/vite.config.ts` writes web/dist, which the server serves with a
 * fallback to index.html for the client-side routes. `npx vite --config web/vite.config.ts`
 * serves the UI on its own and forwards the API (and the terminal WebSocket under it) to a
 * kubexam server on :8080; the Host header is kept so the server's Origin check sees one origin.
 */
export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: {
      '/api': { target: apiServer, ws: true },
    },
  },
});
