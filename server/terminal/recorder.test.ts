import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AsciicastRecorder } from './recorder.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubexam-recorder-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lines(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
}

describe('AsciicastRecorder', () => {
  it('writes a v2 header and one JSON array per event, every line parseable on its own', async () => {
    const path = join(dir, 'cast');
    const recorder = new AsciicastRecorder(path, {
      width: 80,
      height: 24,
      title: 'shell of session s1',
      timestamp: 1_700_000_000,
      env: { TERM: 'xterm-256color', SHELL: '/bin/bash' },
    });
    recorder.output('candidate@controlplane:~$ ');
    recorder.input('echo "hi"\r');
    recorder.output(new TextEncoder().encode('\x1b[31mred\x1b[0m\r\n'));
    recorder.resize(120, 40);
    recorder.marker('submitted');
    const bytes = await recorder.close();

    expect(bytes).toBe((await stat(path)).size);
    const [header, ...events] = await lines(path);
    expect(header).toEqual({
      version: 2,
      width: 80,
      height: 24,
      timestamp: 1_700_000_000,
      title: 'shell of session s1',
      env: { TERM: 'xterm-256color', SHELL: '/bin/bash' },
    });
    expect(events.map((e) => (e as unknown[]).slice(1))).toEqual([
      ['o', 'candidate@controlplane:~$ '],
      ['i', 'echo "hi"\r'],
      ['o', '\x1b[31mred\x1b[0m\r\n'],
      ['r', '120x40'],
      ['m', 'submitted'],
    ]);
    const times = events.map((e) => (e as [number])[0]);
    for (const t of times) expect(typeof t).toBe('number');
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('keeps a UTF-8 character that arrives split across two chunks', async () => {
    const path = join(dir, 'cast');
    const recorder = new AsciicastRecorder(path, { width: 80, height: 24 });
    const check = new TextEncoder().encode('✓');
    recorder.output(check.subarray(0, 1));
    recorder.output(check.subarray(1));
    await recorder.close();
    const events = (await lines(path)).slice(1) as [number, string, string][];
    expect(events.map((e) => e[2]).join('')).toBe('✓');
  });

  it('stops at its size limit and says so in a marker', async () => {
    const path = join(dir, 'cast');
    const recorder = new AsciicastRecorder(path, { width: 80, height: 24, maxBytes: 2_000 });
    for (let i = 0; i < 100; i++) recorder.output('y\n'.repeat(20));
    const bytes = await recorder.close();
    expect(bytes).toBeLessThan(2_200);
    const events = (await lines(path)).slice(1) as [number, string, string][];
    expect(events.at(-1)?.[1]).toBe('m');
    expect(events.at(-1)?.[2]).toMatch(/2000-byte limit/);
  });

  it('reports a file it cannot write when closed', async () => {
    const recorder = new AsciicastRecorder(join(dir, 'missing', 'cast'), { width: 80, height: 24 });
    recorder.output('x');
    await expect(recorder.close()).rejects.toMatchObject({ code: 'RECORDING_FAILED' });
  });
});
