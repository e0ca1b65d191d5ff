import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProgressSink } from './progress.ts';

export const webRoot = fileURLToPath(new URL('../web/', import.meta.url));
export const webDist = join(webRoot, 'dist');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** True when web/dist is missing or older than a source file of the UI. */
export function webBuildStale(): boolean {
  const index = join(webDist, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return [join(webRoot, 'src'), join(webRoot, 'index.html')].some((p) => existsSync(p) && (statSync(p).isDirectory() ? newest(p) : statSync(p).mtimeMs) > built);
}

/**
 * Builds the web UI with Vite when it is missing or stale, reporting progress. A failed build
 * does not stop the server (the API and terminals still work); it is reported and the last
 * good build, if any, is served.
 */
export async function ensureWebBuild(progress: ProgressSink): Promise<boolean> {
  if (!webBuildStale()) return true;
  progress({ scope: 'web', message: 'building the web UI with Vite', state: 'start' });
  try {
    const { build } = await import('vite');
    await build({ configFile: join(webRoot, 'vite.config.ts'), logLevel: 'warn' });
    progress({ scope: 'web', message: 'web UI built', state: 'done' });
    return true;
  } catch (error) {
    progress({ scope: 'web', message: `web UI build failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, state: 'fail' });
    return false;
  }
}
