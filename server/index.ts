import { readFile, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { openDb } from '../db/client.ts';
import { ensureAssets } from './assets/install.ts';
import { openProvider } from './clusters/index.ts';
import { openKindProvider } from './clusters/kind/provider.ts';
import type { ClusterProvider } from './clusters/provider.ts';
import type { Config } from './config.ts';
import { describeError, KubexamError } from './errors.ts';
import { requireDocker } from './exec/docker.ts';
import { createApp } from './http/app.ts';
import type { LabIssue } from './labs/issues.ts';
import { loadLibrary } from './labs/library.ts';
import { searchPaths } from './labs/select.ts';
import { validateExam, validateLab, type DomainMix } from './labs/validate.ts';
import type { ProgressSink } from './progress.ts';
import { EventHub } from './sessions/event-hub.ts';
import { SessionManager } from './sessions/manager.ts';
import { SessionStore } from './sessions/store.ts';
import { TerminalRegistry } from './sessions/terminals.ts';
import { attachTerminalServer } from './terminal/ws-server.ts';
import { hashToken, newToken, TicketBook } from './sessions/tokens.ts';
import { ensureWebBuild, webDist } from './web-build.ts';

/** Settings of `kubexam serve`, validated by the CLI. */
export interface ServerOptions {
  config: Config;
  host: string;
  port: number;
  provider: string;
  /**
   * Where sessions whose labs need real nodes run: `kind` (Docker required, checked at start),
   * `auto` (kind when Docker answers, else such sessions are refused with the reason), `off`.
   * @default 'off'
   */
  nodeProvider?: NodeProviderSetting;
  labPaths?: string[];
  /** Overrides config.instructorToken (KUBEXAM_INSTRUCTOR_TOKEN); else <dataDir>/instructor-token. */
  instructorToken?: string;
  progress: ProgressSink;
}

export interface RunningServer {
  url: string;
  instructorTokenFile: string;
  manager: SessionManager;
  close(): Promise<void>;
}

export const nodeProviderSettings = ['auto', 'kind', 'off'] as const;
export type NodeProviderSetting = (typeof nodeProviderSettings)[number];

/** The provider of real nodes for sessions that need them, per the `nodeProvider` setting. */
async function openNodeProvider(setting: NodeProviderSetting, defaultProvider: ClusterProvider, config: Config, progress: ProgressSink): Promise<ClusterProvider | undefined> {
  if (!nodeProviderSettings.includes(setting)) {
    throw new KubexamError('CONFIG_INVALID', `node provider "${String(setting)}" is not one of ${nodeProviderSettings.join(', ')}`);
  }
  if (setting === 'off' || defaultProvider.name === 'kind') return undefined;
  if (setting === 'auto') {
    try {
      await requireDocker();
    } catch (error) {
      progress({ scope: 'server', message: `no kind for labs that need real nodes (${describeError(error)}); such sessions are refused`, state: 'update' });
      return undefined;
    }
  }
  return openKindProvider(config, progress);
}

async function instructorToken(dataDir: string, given?: string): Promise<{ token: string; file: string }> {
  const file = join(dataDir, 'instructor-token');
  if (given) return { token: given, file: '(KUBEXAM_INSTRUCTOR_TOKEN)' };
  try {
    return { token: (await readFile(file, 'utf8')).trim(), file };
  } catch {
    const token = newToken();
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    return { token, file };
  }
}

/**
 * Starts kubexam: the store (migrations applied), the cluster provider (assets installed when
 * missing), the session manager (sessions of a previous run picked up again, orphaned clusters
 * reaped), the HTTP API and web UI, and the terminal WebSocket.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { config, progress } = options;
  const db = openDb(config.dataDir);
  const assets = await ensureAssets({ config, sets: ['kwok'], progress });
  const provider = await openProvider(options.provider, config, progress);
  const nodeProvider = await openNodeProvider(options.nodeProvider ?? 'off', provider, config, progress);
  await ensureWebBuild(progress);

  const { library, issues } = await loadLibrary(searchPaths(options.labPaths));
  const problems = new Map<string, LabIssue[]>();
  const mixes = new Map<string, DomainMix[]>();
  const note = (list: LabIssue[]) => list.forEach((i) => problems.set(i.file, [...(problems.get(i.file) ?? []), i]));
  note(issues);
  for (const lab of library.labs.values()) note(await validateLab(lab, library));
  for (const exam of library.exams.values()) {
    const { issues: examIssues, mix } = validateExam(exam, library);
    note(examIssues);
    mixes.set(exam.value.metadata.id, mix);
  }

  const hub = new EventHub();
  const store = new SessionStore(db);
  const manager = new SessionManager({ store, library, hub, provider, nodeProvider, kubectlBinary: assets['kubectl'] as string, dataDir: config.dataDir, gradeBudgetSeconds: 180 });
  await manager.resume();

  const { token, file } = await instructorToken(config.dataDir, options.instructorToken ?? config.instructorToken);
  const tickets = new TicketBook();
  const recordingsDir = join(config.dataDir, 'recordings');
  const app = createApp({
    manager,
    library,
    problems,
    mixes,
    hub,
    tickets,
    instructorTokenHash: hashToken(token),
    recordingsDir,
    webDist,
    sessionCreateLimit: 20,
  });
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, () => resolve(s as Server));
  });
  const terminals = new TerminalRegistry({ manager, config, kubectl: assets['kubectl'] as string, recordingsDir });
  manager.onSessionEnd((id) => terminals.closeSession(id));
  const terminalServer = attachTerminalServer(server, {
    path: /^\/api\/sessions\/(?<sessionId>[^/]+)\/terminal$/,
    // Only pages served by this server may open terminals (no cross-site WebSocket hijacking).
    allowedOrigins: (origin, host) => origin !== undefined && host !== undefined && (origin === `http://${host}` || origin === `https://${host}`),
    redeemTicket: async (ticket, sessionId) => {
      const terminal = tickets.redeem(ticket, sessionId);
      return terminal === undefined ? undefined : { open: () => terminals.open(sessionId, terminal) };
    },
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    instructorTokenFile: file,
    manager,
    async close() {
      manager.shutdown();
      await terminalServer.close();
      await terminals.closeAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Event streams of open pages never end by themselves: close would wait for them forever.
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      });
      db.$client.close();
    },
  };
}
