import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { Harness, PROMPT } from './support/terminal-harness.ts';

/** The browser client, bundled as the exam UI bundles it (Vite), served beside the terminal endpoint. */
async function bundleClient(): Promise<{ js: string; css: string }> {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry: new URL('../web/src/terminal/client.ts', import.meta.url).pathname, formats: ['es'], fileName: 'client' },
    },
  });
  const files = (Array.isArray(result) ? result : [result]).flatMap((r) => ('output' in r ? r.output : []));
  const text = (ext: string) => {
    const file = files.find((f) => f.fileName.endsWith(ext));
    if (!file) throw new Error(`the client bundle has no ${ext} file`);
    return file.type === 'chunk' ? file.code : String(file.source);
  };
  return { js: text('.js'), css: text('.css') };
}

const page = (session: string) => `<!doctype html>
<html><head><meta charset="utf-8"><link rel="stylesheet" href="/client.css">
<style>html, body { margin: 0; background: #000; } #t { width: 900px; height: 480px; }</style></head>
<body><div id="t"></div>
<script type="module">
  import { mountTerminal } from '/client.js';
  window.statuses = [];
  window.tickets = 0;
  window.terminal = mountTerminal(document.getElementById('t'), {
    connect: async () => {
      window.tickets += 1;
      return (await fetch('/ticket?session=${session}')).text();
    },
    onStatus: (status) => window.statuses.push(status),
  });
  window.terminal.focus();
</script></body></html>`;

const harness = new Harness();
let browser: Browser;
let counter = 0;

beforeAll(async () => {
  const [bundle] = await Promise.all([bundleClient(), harness.start()]);
  harness.routes.set('/', (req, res) => {
    const session = new URL(req.url ?? '/', 'http://localhost').searchParams.get('session') ?? 'none';
    res.writeHead(200, { 'content-type': 'text/html' }).end(page(session));
  });
  harness.routes.set('/client.js', (_req, res) => res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle.js));
  harness.routes.set('/client.css', (_req, res) => res.writeHead(200, { 'content-type': 'text/css' }).end(bundle.css));
  // A path, as the API's TicketResponse gives it: the client resolves it against the page.
  harness.routes.set('/ticket', (req, res) => {
    const session = new URL(req.url ?? '/', 'http://localhost').searchParams.get('session') ?? '';
    res.writeHead(200).end(`/api/sessions/${session}/terminal?ticket=${harness.ticket(session)}`);
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await harness.stop();
});
afterEach(() => harness.killAll());

async function open(): Promise<{ page: Page; session: string; screen: () => Promise<string>; until: (pattern: RegExp, ms?: number) => Promise<string> }> {
  const session = `b${++counter}`;
  const tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${harness.port}/?session=${session}`);
  const screen = () =>
    tab.evaluate(() =>
      [...document.querySelectorAll('.xterm-rows > div')].map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).join('\n'),
    );
  const until = async (pattern: RegExp, ms = 10_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const text = await screen();
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} on screen:\n${text}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { page: tab, session, screen, until };
}

const statuses = (tab: Page) => tab.evaluate(() => (window as unknown as { statuses: string[] }).statuses);

describe('browser terminal client (Chromium)', () => {
  it('connects, shows the prompt and runs what is typed', { timeout: 30_000 }, async () => {
    const { page: tab, until } = await open();
    await until(new RegExp(`^${PROMPT.trimEnd().replace('$', '\\$')}`, 'm'));
    await tab.keyboard.type('echo typed-$((20+22))\n');
    await until(/^typed-42$/m);
    expect(await statuses(tab)).toEqual(['connecting', 'open']);
    await tab.close();
  });

  it('acknowledges what it renders, so output far beyond the high watermark keeps flowing', { timeout: 60_000 }, async () => {
    const { page: tab, until } = await open();
    await until(/test\$/);
    await tab.keyboard.type('seq 1 200000; echo seq-$((1+1))-done\n');
    await until(/^seq-2-done$/m, 45_000);
    await tab.close();
  });

  it('sends its size on fit, and the shell sees it', { timeout: 30_000 }, async () => {
    const { page: tab, session, until } = await open();
    await until(/test\$/);
    const before = harness.sessions.get(session)?.size;
    await tab.evaluate(() => {
      (document.getElementById('t') as HTMLElement).style.width = '500px';
    });
    const deadline = Date.now() + 5_000;
    while (harness.sessions.get(session)?.size.cols === before?.cols && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const after = harness.sessions.get(session)?.size;
    expect(after?.cols).toBeLessThan(before?.cols ?? 0);
    await tab.keyboard.type('stty size\n');
    await until(new RegExp(`^${after?.rows} ${after?.cols}$`, 'm'));
    await tab.close();
  });

  it('reconnects with a fresh ticket to the same shell, screen restored, after the connection drops', { timeout: 30_000 }, async () => {
    const { page: tab, session, until } = await open();
    await until(/test\$/);
    await tab.keyboard.type('echo pid-$$\n');
    const [, pid] = (await until(/^pid-(\d+)$/m)).match(/^pid-(\d+)$/m) ?? [];
    harness.sessions.get(session)?.detach();
    await until(/connection lost, reconnecting/);
    await until(/^pid-\d+$/m);
    const deadline = Date.now() + 10_000;
    while (!(await statuses(tab)).includes('open', 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await statuses(tab)).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    expect(await tab.evaluate(() => (window as unknown as { tickets: number }).tickets)).toBe(2);
    await tab.keyboard.type('clear; echo again-$$\n');
    await until(new RegExp(`^again-${pid}$`, 'm'));
    await tab.close();
  });

  it('sends a paste larger than the frame limit in pieces, without being disconnected', { timeout: 30_000 }, async () => {
    const { page: tab, until } = await open();
    await until(/test\$/);
    // Paste only once bash has handed the terminal to cat (it leaves bracketed paste mode first).
    await tab.keyboard.type('stty -echo; echo cat-$((1+1)); cat > pasted.txt\n');
    await until(/^cat-2$/m);
    const lines = Array.from({ length: 1500 }, (_, i) => `line ${String(i).padStart(4, '0')} ${'x'.repeat(60)}`);
    await tab.evaluate((text) => {
      const target = document.querySelector('.xterm-helper-textarea') as HTMLTextAreaElement;
      const data = new DataTransfer();
      data.setData('text/plain', text);
      target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, `${lines.join('\n')}\n`);
    await tab.keyboard.press('Control+D');
    await tab.keyboard.type('stty echo; echo lines-$(wc -l < pasted.txt)\n');
    await until(/^lines-1500$/m);
    expect(await statuses(tab)).toEqual(['connecting', 'open']);
    await tab.close();
  });
});
