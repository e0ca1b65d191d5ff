import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import type { KubexamServer } from './kubexam-server.ts';

export interface PromptRun {
  session: string;
  /** POST /api/sessions until the exam page shows its Start exam button (cluster ready, tasks set up). */
  provisionMs: number;
  /** Clicking Start exam until `candidate@controlplane` is rendered in xterm's rows (timed in the page). */
  startToPromptMs: number;
  /** POST /api/sessions until the prompt, as the bench's clock saw it. */
  totalMs: number;
}

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Clicks Start exam inside the page and resolves with the ms until the prompt is in the DOM.
 * A string, not a function: tsx compiles bench files with esbuild's keepNames, whose `__name`
 * helper does not exist in the page.
 */
const clickStartAndWaitForPrompt = (timeoutMs: number) => `new Promise((resolve, reject) => {
  const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Start exam');
  if (!button) throw new Error('no Start exam button');
  const shown = () => [...document.querySelectorAll('.xterm-rows')].some((rows) => /candidate@controlplane/.test(rows.textContent.replace(/\u00a0/g, ' ')));
  let started = 0;
  const observer = new MutationObserver(() => {
    if (!shown()) return;
    observer.disconnect();
    clearTimeout(timer);
    resolve(performance.now() - started);
  });
  const timer = setTimeout(() => {
    observer.disconnect();
    reject(new Error('no candidate@controlplane prompt ${timeoutMs / 1000} s after Start exam; page text: ' + document.body.innerText.slice(0, 500)));
  }, ${timeoutMs});
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  started = performance.now();
  button.click();
})`;

/**
 * Measurement 4a, in Chromium as a candidate sees it: for each run an instructor creates a
 * session for the exam (REST), the candidate's page opens at once and waits for Start exam,
 * then Start exam is clicked and the time to the shell prompt in xterm is taken. Every run gets
 * a fresh session and cluster; all but the last are closed at once, the last is returned open
 * (its shell running) for the wire measurements.
 */
export async function measurePrompt(
  server: KubexamServer,
  o: { exam: string; seed: string; runs: number; log: (m: string) => void },
): Promise<{ runs: PromptRun[]; kept: { id: string; token: string } }> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (sh scripts/system-deps.sh --tests does)`);
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const runs: PromptRun[] = [];
  let kept: { id: string; token: string } | undefined;
  try {
    for (let i = 1; i <= o.runs; i++) {
      o.log(`browser: session ${i}/${o.runs} for ${o.exam}, exam page until Start exam, then until the prompt`);
      const started = performance.now();
      const created = await server.createSession(o.exam, `bench-${i}`, o.seed);
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      let watching = true;
      try {
        const failed = (async () => {
          while (watching) {
            const view = await server.session(created.id);
            if (view.state === 'failed') throw new Error(`session ${created.id} failed: ${view.error}`);
            await new Promise((r) => setTimeout(r, 1000));
          }
        })();
        void failed.catch(() => undefined);
        await page.goto(`${server.url}${created.url}`);
        await Promise.race([page.getByRole('button', { name: 'Start exam' }).waitFor({ state: 'visible', timeout: 600_000 }), failed]);
        const provisionMs = performance.now() - started;
        watching = false;
        const startToPromptMs = await page.evaluate<number>(clickStartAndWaitForPrompt(60_000));
        runs.push({ session: created.id, provisionMs, startToPromptMs, totalMs: performance.now() - started });
      } finally {
        watching = false;
        await page.close();
        if (i < o.runs) await server.closeSession(created.id);
        else kept = { id: created.id, token: created.token };
      }
    }
  } finally {
    await browser.close();
  }
  if (!kept) throw new Error('no session kept');
  return { runs, kept };
}
