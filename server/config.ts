import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { KubexamError } from './errors.ts';

/** Settings read once at start (environment, then flags) and passed down; nothing below reads env. */
const configSchema = z.object({
  /** Where assets (binaries) and build trees are cached. @default ~/.cache/kubexam */
  cacheDir: z.string().min(1),
  /** Where cluster state (kubeconfigs, kwokctl workdirs) lives. @default ~/.local/share/kubexam */
  dataDir: z.string().min(1),
  /** Base URL of official Kubernetes release downloads; tried before building from source. */
  releaseBaseUrl: z.string().url(),
  /** Seconds a release download may take to start before we fall back to building. */
  downloadTimeoutSeconds: z.number().positive(),
  /** The instructor's bearer token for the server; generated into the data dir when unset. */
  instructorToken: z.string().min(16, 'KUBEXAM_INSTRUCTOR_TOKEN must be at least 16 characters').optional(),
});

export type Config = z.infer<typeof configSchema>;

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Config> = {},
): Config {
  const home = homedir();
  const candidate = {
    cacheDir: resolve(env['KUBEXAM_CACHE_DIR'] ?? join(env['XDG_CACHE_HOME'] ?? join(home, '.cache'), 'kubexam')),
    dataDir: resolve(env['KUBEXAM_DATA_DIR'] ?? join(env['XDG_DATA_HOME'] ?? join(home, '.local', 'share'), 'kubexam')),
    releaseBaseUrl: env['KUBEXAM_RELEASE_BASE_URL'] ?? 'https://dl.k8s.io',
    downloadTimeoutSeconds: Number(env['KUBEXAM_DOWNLOAD_TIMEOUT'] ?? 10),
    ...(env['KUBEXAM_INSTRUCTOR_TOKEN'] ? { instructorToken: env['KUBEXAM_INSTRUCTOR_TOKEN'] } : {}),
    ...overrides,
  };
  const parsed = configSchema.safeParse(candidate);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new KubexamError('CONFIG_INVALID', `invalid configuration (${issues}); check the KUBEXAM_* environment variables`);
  }
  return parsed.data;
}
