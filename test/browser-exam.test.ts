import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAssets } from '../server/assets/install.ts';
import { KwokProvider } from '../server/clusters/kwok/provider.ts';
import { loadConfig } from '../server/config.ts';
import type { CreateSessionRequest, CreateSessionResponse, RecordingSummary, SessionView } from '../server/http/contract.ts';
import { startServer, type RunningServer } from '../server/index.ts';
import { silentProgress } from '../server/progress.ts';

/**
 * What a candidate does, in Chromium against the real server and real kwok clusters: open the
 * exam link, watch provisioning, start, solve tasks by typing kubectl into the xterm terminal,
 * flag, take notes, submit, read the result; reload the page mid-exam and find the same shell;
 * live through a server restart with the clock and notes intact.
 */

const screenshots = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));
const instructor = 'instructor-token-for-browser-tests';
const PROMPT = /candidate@controlplane:~\$ ?$/m;

let dataDir: string;
let server: RunningServer;
let port = 0;
let browser: Browser;
const sessions: string[] = [];
const pages: Page[] = [];

async function start(): Promise<RunningServer> {
  const config = loadConfig(process.env, { dataDir });
  const running = await startServer({ config, host: '127.0.0.1', port, provider: 'kwok', instructorToken: instructor, progress: silentProgress });
  // A restart listens on the same port: the page's origin (and its sessionStorage token) stays.
  port = Number(new URL(running.url).port);
  return running;
}

async function api<T = unknown>(path: string, token: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function createSession(request: CreateSessionRequest): Promise<CreateSessionResponse> {
  const created = await api<CreateSessionResponse>('/api/sessions', instructor, { method: 'POST', body: JSON.stringify(request) });
  sessions.push(created.id);
  expect(created.url).toContain('#token=');
  return created;
}

async function newPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  page.setDefaultTimeout(30_000);
  pages.push(page);
  return page;
}

/** Runs a test body; on failure a screenshot of the page is saved next to the others. */
async function withFailureShot(name: string, page: () => Page | undefined, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const current = page();
    if (current && !current.isClosed()) await current.screenshot({ path: join(screenshots, `FAILED-${name}.png`), fullPage: true }).catch(() => undefined);
    throw error;
  }
}

/** Rejects with a readable error when `promise` takes longer than `ms`. */
function bounded<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function poll<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value:\n${String(value)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The visible rows of the active terminal, as text. */
function screen(page: Page): Promise<string> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.terms__panel.is-active .xterm-rows > div')].map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).join('\n'),
  );
}

function untilScreen(page: Page, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return poll(`${pattern} in the terminal`, () => screen(page), (text) => pattern.test(text), timeoutMs);
}

/** Types a command line into the terminal, as a candidate would. */
async function type(page: Page, line: string): Promise<void> {
  await page.locator('.terms__panel.is-active .xterm-helper-textarea').focus();
  await page.keyboard.type(`${line}\n`);
}

let marks = 0;

/**
 * Types a command line and waits until it has finished: a marker echoed after it shows up on
 * its own line (the typed line holds `$((n+1))`, only the output holds the number).
 */
async function run(page: Page, line: string, timeoutMs = 30_000): Promise<string> {
  const n = ++marks;
  await type(page, `${line}; echo "done-${n}-$((${n}+1))"`);
  return untilScreen(page, new RegExp(`^done-${n}-${n + 1}$`, 'm'), timeoutMs);
}

/** Opens the candidate link, waits for "Start exam", starts, and waits for the shell prompt. */
async function openAndStart(page: Page, url: string, options: { expectProvisioning: boolean; provisionMs: number }): Promise<void> {
  await page.goto(`${server.url}${url}`);
  if (options.expectProvisioning) {
    // The provisioning screen with its step log, fed by the event stream.
    await page.getByRole('heading', { name: 'Preparing your environment' }).waitFor();
    await page.getByRole('progressbar', { name: 'Provisioning' }).waitFor();
    await poll('provisioning steps in the log', () => page.locator('.progress-log li').count(), (n) => n > 0);
  }
  const startButton = page.getByRole('button', { name: 'Start exam' });
  await startButton.waitFor({ timeout: options.provisionMs });
  expect(page.url()).not.toContain('token=');
  await startButton.click();
  await waitForShell(page);
}

async function waitForShell(page: Page): Promise<void> {
  await page.getByRole('timer', { name: 'Time left' }).waitFor();
  await page.locator('[role=tab][data-status=open]', { hasText: 'shell' }).waitFor({ timeout: 60_000 });
  await untilScreen(page, PROMPT, 30_000);
}

/** `h:mm:ss` or `mm:ss` as seconds. */
function seconds(text: string): number {
  return text.trim().split(':').map(Number).reduce((total, part) => total * 60 + part, 0);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kubexam-browser-'));
  await mkdir(screenshots, { recursive: true });
  server = await start();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 180_000);

afterAll(async () => {
  for (const page of pages) await page.close().catch(() => undefined);
  await browser?.close();
  if (server) {
    for (const id of sessions) await api(`/api/sessions/${id}`, instructor, { method: 'DELETE' }).catch(() => undefined);
    await bounded('stopping the server', server.close(), 30_000).catch((error: unknown) => console.error(error));
  }
  if (dataDir) {
    // Whatever a failed test left behind: no kwok cluster outlives the file.
    const config = loadConfig(process.env, { dataDir });
    const provider = new KwokProvider(await ensureAssets({ config, sets: ['kwok'], progress: silentProgress }), dataDir);
    for (const cluster of await provider.list()) await provider.delete(cluster.name).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
}, 180_000);

describe('the exam in the browser (Chromium, kwok)', () => {
  it('takes ckad-mock-1 from the link to a per-domain result, solving two tasks in the terminal', { timeout: 480_000 }, async () => {
    let page: Page | undefined;
    await withFailureShot('exam', () => page, async () => {
      const created = await createSession({ examId: 'ckad-mock-1', candidate: 'Ada Lovelace', mode: 'exam', seed: 'browser-exam' });
      page = await newPage();
      const tab = page;
      await openAndStart(tab, created.url, { expectProvisioning: true, provisionMs: 240_000 });

      // Task: roll back the Deployment stuck on a bad image (its text names everything needed).
      await tab.locator('[data-task=ckad-rollback-bad-image]').click();
      await tab.getByRole('heading', { name: /^Task \d+: A stuck rollout, rolled back$/ }).waitFor();
      const rollbackText = (await tab.locator('.task__body').textContent()) ?? '';
      const [, rollbackNs] = rollbackText.match(/namespace (\S+)\s/) ?? [];
      expect(rollbackNs).toBe('ckad-shop');
      const rolled = await run(tab, `clear; k -n ${rollbackNs} rollout undo deployment api && k -n ${rollbackNs} rollout status deployment api --timeout=120s`, 150_000);
      expect(rolled).toMatch(/rolled back/);
      expect(rolled).toMatch(/successfully rolled out/);

      // Task: labels and annotations; the team in the annotation is a param, read from the page.
      await tab.locator('[data-task=ckad-labels-annotations]').click();
      await tab.getByRole('heading', { name: /^Task \d+: Select Pods by label, then label and annotate them$/ }).waitFor();
      const labelsText = (await tab.locator('.task__body').textContent()) ?? '';
      const [, owner] = labelsText.match(/with (owner=team-\w+)/) ?? [];
      expect(owner).toMatch(/^owner=team-(orion|vega|lyra|draco)$/);
      expect(await run(tab, 'k -n ckad-labels label pod -l type=runner protected=true')).toMatch(/runner-\w+ labeled/);
      expect(await run(tab, `k -n ckad-labels annotate pod -l type=worker ${owner}`)).toMatch(/worker-\w+ annotated/);
      expect(await run(tab, 'k -n ckad-labels label pod -l deprecated deprecated-')).toMatch(/unlabeled/);
      expect(await run(tab, 'k -n ckad-labels get pods -L protected,type')).toMatch(/^runner-\w+\s.*\strue\s+runner$/m);

      // Flag a task for review.
      const flag = tab.getByRole('button', { name: 'Flag for review' });
      expect(await flag.getAttribute('aria-pressed')).toBe('false');
      await flag.click();
      await poll('the flag to be pressed', () => flag.getAttribute('aria-pressed'), (v) => v === 'true');
      await tab.locator('[data-task=ckad-labels-annotations][aria-label$="flagged for review"]').waitFor();

      // A note, saved on the server.
      const notes = tab.getByRole('textbox', { name: 'Notes' });
      await notes.click();
      await tab.keyboard.type('rolled back api; labels done, check the annotation');
      const status = tab.locator('.notes__status');
      await poll('the notes to save', () => status.textContent(), (t) => t === 'Saved', 15_000);
      const view = await api<SessionView>(`/api/sessions/${created.id}`, created.token);
      expect(view.notes).toBe('rolled back api; labels done, check the annotation');
      expect(view.tasks.find((t) => t.labId === 'ckad-labels-annotations')?.flagged).toBe(true);
      await tab.screenshot({ path: join(screenshots, 'exam-page.png') });

      // Submit through the confirmation dialog.
      await tab.getByRole('button', { name: 'Submit exam' }).click();
      const dialog = tab.getByRole('dialog', { name: 'Submit exam?' });
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain('1 task is still flagged for review.');
      await dialog.getByRole('button', { name: 'Submit', exact: true }).click();

      // The result: score, the domain chart, and the solved tasks at full points.
      await tab.getByRole('heading', { name: 'Score by domain' }).waitFor({ timeout: 240_000 });
      expect(tab.url()).toContain(`/result/${created.id}`);
      const score = Number.parseFloat((await tab.getByTestId('score').textContent()) ?? '');
      expect(score).toBeGreaterThan(0);
      await tab.locator('figure.domain-chart svg[role=img]').waitFor();
      const chartTitle = (await tab.locator('#domain-chart-title').textContent()) ?? '';
      expect(chartTitle).toMatch(/Application Deployment \d/);
      expect(chartTitle).toMatch(/Application Design and Build \d/);
      const points = async (title: string) => (await tab.locator('.task-result', { hasText: title }).locator('.task-result__points').textContent())?.trim();
      expect(await points('A stuck rollout, rolled back')).toBe('6 / 6 pts');
      expect(await points('Select Pods by label, then label and annotate them')).toBe('5 / 5 pts');
      const domainRows = await tab.locator('.domain-table tbody tr').allTextContents();
      expect(domainRows).toHaveLength(5);
      await tab.screenshot({ path: join(screenshots, 'result-page.png') });
      await tab.screenshot({ path: join(screenshots, 'result-page-full.png'), fullPage: true });
    });
  });

  it('reconnects to the same shell, screen restored, after the page reloads', { timeout: 300_000 }, async () => {
    let page: Page | undefined;
    await withFailureShot('reload', () => page, async () => {
      const created = await createSession({ labId: 'ckad-labels-annotations', candidate: 'Grace Hopper', mode: 'exam' });
      page = await newPage();
      const tab = page;
      await openAndStart(tab, created.url, { expectProvisioning: false, provisionMs: 120_000 });

      await type(tab, 'export MARK=kubexam-$RANDOM; echo $MARK');
      const [, mark] = (await untilScreen(tab, /^kubexam-\d+$/m)).match(/^(kubexam-\d+)$/m) ?? [];
      expect(mark).toBeDefined();

      await tab.reload();
      await waitForShell(tab);
      // The screen comes back from the server's snapshot, before anything new is typed.
      expect(await screen(tab)).toContain(`\n${mark}\n`);
      await type(tab, 'clear; echo "same shell: $MARK"');
      await untilScreen(tab, new RegExp(`^same shell: ${mark}$`, 'm'));
      // One shell for the whole session: the reload started no second one (nor a second recording).
      const recordings = await api<RecordingSummary[]>(`/api/sessions/${created.id}/recordings`, instructor);
      expect(recordings.map((r) => r.terminal)).toEqual(['shell']);
      await tab.screenshot({ path: join(screenshots, 'reload-page.png') });
    });
  });

  it('keeps the deadline and the notes when the server restarts mid-exam', { timeout: 300_000 }, async () => {
    let page: Page | undefined;
    await withFailureShot('restart', () => page, async () => {
      const created = await createSession({ labId: 'ckad-rollback-bad-image', candidate: 'Alan Turing', mode: 'exam' });
      page = await newPage();
      const tab = page;
      await openAndStart(tab, created.url, { expectProvisioning: false, provisionMs: 120_000 });

      const notes = tab.getByRole('textbox', { name: 'Notes' });
      await notes.click();
      await tab.keyboard.type('undo the rollout of api');
      await poll('the notes to save', () => tab.locator('.notes__status').textContent(), (t) => t === 'Saved', 15_000);
      const before = await api<SessionView>(`/api/sessions/${created.id}`, created.token);
      const timer = tab.getByRole('timer', { name: 'Time left' }).locator('.countdown__value');
      const leftBefore = seconds((await timer.textContent()) ?? '');
      const readAt = Date.now();
      expect(leftBefore).toBeGreaterThan(60);

      await bounded('stopping the server', server.close(), 30_000);
      // Down for a few seconds: the countdown on the server keeps running meanwhile.
      await new Promise((r) => setTimeout(r, 4000));
      server = await bounded('starting the server again', start(), 120_000);

      await tab.reload();
      await waitForShell(tab);
      const after = await api<SessionView>(`/api/sessions/${created.id}`, created.token);
      expect(after.state).toBe('running');
      expect(after.deadlineAt).toBe(before.deadlineAt);
      expect(await notes.inputValue()).toBe('undo the rollout of api');
      const leftAfter = seconds((await timer.textContent()) ?? '');
      const elapsed = (Date.now() - readAt) / 1000;
      // Time left went on from where it was (within display rounding), it did not start over.
      expect(leftAfter).toBeLessThanOrEqual(leftBefore - Math.floor(elapsed) + 2);
      expect(leftAfter).toBeGreaterThanOrEqual(leftBefore - Math.ceil(elapsed) - 2);
      // The cluster is the same one: the lab's namespace and Deployment are still there.
      await type(tab, 'clear; k -n ckad-shop get deployment api -o name; echo restart-$((40+2))');
      const text = await untilScreen(tab, /^restart-42$/m, 30_000);
      expect(text).toMatch(/^deployment\.apps\/api$/m);
      await tab.screenshot({ path: join(screenshots, 'restart-page.png') });
    });
  });
});
