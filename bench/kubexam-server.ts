import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { CreateSessionResponse, SessionView } from '../server/http/contract.ts';
import { killOnExit, stopChild } from './child.ts';

const bin = fileURLToPath(new URL('../bin/kubexam.js', import.meta.url));

/**
 * `node bin/kubexam.js serve` as a child process with its own data dir and instructor token,
 * so its resident memory is its own (the bench process holds Chromium's driver and the ws
 * clients). It creates sessions through the REST API as an instructor would.
 */
export class KubexamServer {
  readonly token = randomBytes(24).toString('hex');
  url = '';
  private child: ChildProcess | undefined;
  private stderr = '';

  constructor(
    readonly dataDir: string,
    private readonly labPaths: string[] | undefined,
  ) {}

  get pid(): number {
    const pid = this.child?.pid;
    if (pid === undefined) throw new Error('the kubexam server is not running');
    return pid;
  }

  async start(): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    const args = [bin, 'serve', '--host', '127.0.0.1', '--port', '0', ...(this.labPaths?.length ? ['--path', ...this.labPaths] : [])];
    const child = spawn(process.execPath, args, {
      env: { ...process.env, KUBEXAM_DATA_DIR: this.dataDir, KUBEXAM_INSTRUCTOR_TOKEN: this.token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    killOnExit(child);
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    this.url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`kubexam serve printed no URL in 300 s; stderr: ${this.stderr}`)), 300_000);
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const match = /kubexam is running at (http:\/\/\S+)/.exec(out);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`kubexam serve exited with ${code}: ${this.stderr}`));
      });
    });
  }

  async api<T>(path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${init.token ?? this.token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  createSession(examId: string, candidate: string, seed: string): Promise<CreateSessionResponse> {
    return this.api('/api/sessions', { method: 'POST', body: { examId, candidate, seed } });
  }

  session(id: string): Promise<SessionView> {
    return this.api(`/api/sessions/${id}`);
  }

  async waitForState(id: string, states: string[], timeoutMs = 600_000): Promise<SessionView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await this.session(id);
      if (states.includes(view.state)) return view;
      if (view.state === 'failed') throw new Error(`session ${id} failed: ${view.error}`);
      if (Date.now() > deadline) throw new Error(`session ${id} stayed ${view.state} for ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Closes the session and deletes its cluster. */
  async closeSession(id: string): Promise<void> {
    await this.api(`/api/sessions/${id}`, { method: 'DELETE' }).catch(() => undefined);
  }

  /** The WebSocket URL of a session's `shell` terminal, with a fresh one-time ticket. */
  async terminalUrl(id: string, token: string): Promise<string> {
    const { url } = await this.api<{ url: string }>(`/api/sessions/${id}/terminal-ticket`, { method: 'POST', token, body: { terminal: 'shell' } });
    return `${this.url.replace(/^http/, 'ws')}${url}&cols=80&rows=24`;
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}
