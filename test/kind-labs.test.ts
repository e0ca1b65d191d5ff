import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openKindProvider } from '../server/clusters/kind/provider.ts';
import { loadConfig } from '../server/config.ts';
import { silentProgress } from '../server/progress.ts';
import { skipKindTests } from './support/kind.ts';

const bin = fileURLToPath(new URL('../bin/kubexam.js', import.meta.url));
const labs = fileURLToPath(new URL('../labs/', import.meta.url));
const results = fileURLToPath(new URL('../test-results/', import.meta.url));
const dataDir = join(results, `kind-labs-data-${process.pid}`);

interface LabFile {
  metadata: { id: string };
  cluster?: { requires?: string[] };
  params?: Record<string, { pick?: string[] }>;
}

/** The labs that need more than kwok (they declare `cluster.requires`), read straight from their files. */
async function kindLabs(): Promise<LabFile[]> {
  const found: LabFile[] = [];
  for (const curriculum of await readdir(labs, { withFileTypes: true })) {
    if (!curriculum.isDirectory()) continue;
    for (const lab of await readdir(join(labs, curriculum.name), { withFileTypes: true })) {
      const file = join(labs, curriculum.name, lab.name, 'lab.yaml');
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (!text || !lab.isDirectory()) continue;
      const parsed = parse(text) as LabFile;
      if ((parsed.cluster?.requires ?? []).length > 0) found.push(parsed);
    }
  }
  return found;
}

describe.skipIf(skipKindTests)('kind labs', () => {
  afterAll(async () => {
    // kubexam test deletes its clusters; this catches any a crash left behind.
    const config = loadConfig(process.env, { dataDir });
    const provider = await openKindProvider(config, silentProgress).catch(() => undefined);
    for (const c of (await provider?.list()) ?? []) await provider?.delete(c.name).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'pass `kubexam test --provider kind`: nothing passes unsolved, the solution earns full marks, for every cause of the broken worker',
    async () => {
      const expected = await kindLabs();
      const causes = expected.find((l) => l.metadata.id === 'cka-broken-worker')?.params?.['cause']?.pick ?? [];
      expect(causes.length, 'cka-broken-worker picks its cause from at least 3 faults').toBeGreaterThanOrEqual(3);
      const args = [bin, 'test', labs, '--only', 'kind', '--provider', 'kind', '--parallel', '2', '--junit', `${results}kind-labs.xml`];
      for (const cause of causes) args.push('--param', `cause=${cause}`);
      const started = Date.now();
      const result = await execa('node', args, { reject: false, env: { KUBEXAM_DATA_DIR: dataDir } });
      const output = `${result.stdout}\n${result.stderr.slice(-4000)}`;
      expect(result.exitCode, output).toBe(0);
      // Every kind lab ran (none left out or skipped), the broken worker once per cause.
      const runs = expected.length - 1 + causes.length;
      expect(result.stdout, output).toMatch(new RegExp(`labs: ${runs} passed, 0 failed`));
      for (const lab of expected) expect(result.stdout).toMatch(new RegExp(`^PASS  ${lab.metadata.id}\\b.* kind `, 'm'));
      for (const cause of causes) expect(result.stdout).toMatch(new RegExp(`^PASS  cka-broken-worker \\[cause=${cause}\\]`, 'm'));
      process.stdout.write(`kind labs: ${runs} runs in ${((Date.now() - started) / 1000).toFixed(0)} s\n${result.stdout}\n`);
    },
    5_400_000,
  );
});
