import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KwokProvider } from '../server/clusters/kwok/provider.ts';
import { sandboxCommand } from '../server/terminal/sandbox.ts';
import type { BenchEnv } from './bench-env.ts';
import { measurePrompt, type PromptRun } from './browser-prompt.ts';
import { killOnExit, rssKiB, stopChild } from './child.ts';
import { KubexamServer } from './kubexam-server.ts';
import { percentile, summarize, type Summary } from './stats.ts';
import { bulkOutput, keystrokeRoundTrips, openWire, waitForPrompt, type BulkRun, type TerminalWire } from './terminal-wire.ts';
import { ensureTtyd, TtydServer, type TtydBinary } from './ttyd.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const PROMPT = /candidate@controlplane:~\$ $/;
/** Where the sandbox offers the API relay inside (as server/sessions/terminals.ts does). */
const SANDBOX_API_PORT = 6443;

export interface TerminalBenchOptions {
  exam: string;
  path: string[] | undefined;
  seed: string;
  promptRuns: number;
  keystrokes: number;
  bulkRuns: number;
  bulkBytes: number;
  log: (message: string) => void;
}

export interface WireResult {
  server: string;
  /** What the server process is, for the table. */
  what: string;
  pid: number;
  echoMs: Summary & { p95: number };
  bulk: BulkRun[];
  /** VmRSS with the shell connected and idle, before the first bulk run. */
  rssIdleKiB: number;
}

export interface TerminalBenchResult {
  exam: string;
  prompt: { runs: PromptRun[]; provisionMs: Summary; startToPromptMs: Summary; totalMs: Summary };
  ttyd: TtydBinary | { unavailable: string };
  wire: WireResult[];
  keystrokes: number;
  bulkBytes: number;
}

interface Contender {
  server: string;
  what: string;
  pid: number;
  wire: TerminalWire;
}

/**
 * Measurement 4: a `kubexam serve` child on kwok. (a) Chromium: session to Start exam to the
 * shell prompt. (b) A Node ws client against kubexam's terminal, ttyd and a bare node-pty + ws
 * server, all three running the same sandboxed shell command: keystroke echo round trips,
 * bulk output throughput and each server's RSS during it.
 */
export async function benchTerminal(env: BenchEnv, o: TerminalBenchOptions): Promise<TerminalBenchResult> {
  const serverDir = join(env.config.dataDir, 'server');
  const server = new KubexamServer(serverDir, o.path);
  const stopped: (() => Promise<void>)[] = [];
  env.onCleanup(async () => {
    for (const stop of stopped.reverse()) await stop().catch(() => undefined);
    await server.stop();
    // Sessions left open (an interrupted run) keep their clusters after the server stops.
    const provider = new KwokProvider(env.assets, serverDir);
    for (const c of await provider.list()) await provider.delete(c.name).catch(() => undefined);
  });

  o.log('terminal: starting kubexam serve (child process, own data dir)');
  await server.start();
  const ttyd = await ensureTtyd(env.config.cacheDir, o.log);
  if ('unavailable' in ttyd) o.log(`ttyd unavailable: ${ttyd.unavailable}`);

  const prompt = await measurePrompt(server, { exam: o.exam, seed: o.seed, runs: o.promptRuns, log: o.log });
  const { kept } = prompt;

  // The exact shell kubexam runs for the kept session, for ttyd and the baseline to run too.
  const sessionDir = join(serverDir, 'sessions', kept.id);
  const home = await mkdtemp(join(env.config.dataDir, 'other-shell-home-'));
  await mkdir(join(home, '.kube'), { recursive: true, mode: 0o700 });
  await copyFile(join(sessionDir, 'home', '.bashrc'), join(home, '.bashrc'));
  const command = sandboxCommand({
    kubeconfig: join(sessionDir, 'sandbox-kubeconfig'),
    kubectl: env.kubectl,
    home,
    hide: [serverDir, env.config.cacheDir],
    apiRelay: { socket: join(sessionDir, 'api.sock'), port: SANDBOX_API_PORT },
  });
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const script = join(env.config.dataDir, 'sandboxed-shell.sh');
  const envArgs = Object.entries(command.env).map(([k, v]) => quote(`${k}=${v}`));
  await writeFile(script, `#!/bin/sh\nexec env -i ${envArgs.join(' ')} ${[command.file, ...command.args].map(quote).join(' ')}\n`, { mode: 0o755 });

  const contenders: Contender[] = [];
  const connect = async (server: string, what: string, pid: number, wire: TerminalWire) => {
    await waitForPrompt(wire, PROMPT);
    await settle(wire);
    contenders.push({ server, what, pid, wire });
  };
  o.log('wire: connecting to kubexam, ttyd and the node-pty + ws baseline');
  const kx = await openWire('kubexam', await server.terminalUrl(kept.id, kept.token), server.url);
  await connect('kubexam', 'node bin/kubexam.js serve: the whole server (API, store, sessions), tsx', server.pid, kx);

  if (!('unavailable' in ttyd)) {
    const t = new TtydServer(ttyd.path, ['/bin/sh', script]);
    await t.start();
    stopped.push(() => t.stop());
    await connect(`ttyd ${ttyd.version.replace(/^ttyd version /, '')}`, 'ttyd (C, libwebsockets + libuv), one process', t.pid, await openWire('ttyd', t.url));
  }

  const baseline = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench', 'terminal-baseline-server.ts'), '/bin/sh', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  killOnExit(baseline);
  stopped.push(() => stopChild(baseline));
  const port = await new Promise<number>((resolve, reject) => {
    baseline.stdout?.on('data', (d: Buffer) => {
      const match = /listening (\d+)/.exec(d.toString());
      if (match?.[1]) resolve(Number(match[1]));
    });
    baseline.once('exit', (code) => reject(new Error(`baseline server exited with ${code}`)));
  });
  await connect('node-pty + ws (bare)', 'node + tsx, ws and node-pty only', baseline.pid as number, await openWire('raw', `ws://127.0.0.1:${port}/`));

  const results = new Map<string, WireResult>();
  for (const c of contenders) {
    o.log(`wire: ${o.keystrokes} keystroke round trips via ${c.server}`);
    const times = await keystrokeRoundTrips(c.wire, o.keystrokes);
    await settle(c.wire);
    results.set(c.server, { server: c.server, what: c.what, pid: c.pid, echoMs: { ...summarize(times), p95: percentile(times, 95) }, bulk: [], rssIdleKiB: await rssKiB(c.pid) });
  }
  for (let round = 1; round <= o.bulkRuns; round++) {
    for (const c of contenders) {
      o.log(`wire: bulk output round ${round}/${o.bulkRuns}, ${o.bulkBytes / 1e6} MB via ${c.server}`);
      const run = await bulkOutput(c.wire, o.bulkBytes, c.pid, PROMPT);
      await settle(c.wire);
      results.get(c.server)?.bulk.push(run);
    }
  }

  for (const c of contenders) c.wire.close();
  for (const stop of stopped.splice(0).reverse()) await stop();
  await server.closeSession(kept.id);
  await server.stop();

  return {
    exam: o.exam,
    prompt: {
      runs: prompt.runs,
      provisionMs: summarize(prompt.runs.map((r) => r.provisionMs)),
      startToPromptMs: summarize(prompt.runs.map((r) => r.startToPromptMs)),
      totalMs: summarize(prompt.runs.map((r) => r.totalMs)),
    },
    ttyd,
    wire: [...results.values()],
    keystrokes: o.keystrokes,
    bulkBytes: o.bulkBytes,
  };
}

/** Waits until the connection has been quiet for `quietMs` (a second prompt, a late redraw). */
async function settle(wire: TerminalWire, quietMs = 300): Promise<void> {
  let last = performance.now();
  wire.onOutput = () => {
    last = performance.now();
  };
  while (performance.now() - last < quietMs) await new Promise((r) => setTimeout(r, 50));
  wire.onOutput = () => undefined;
}
