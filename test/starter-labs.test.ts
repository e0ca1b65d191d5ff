import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/kubexam.js', import.meta.url));
const labs = fileURLToPath(new URL('../labs/', import.meta.url));
const results = fileURLToPath(new URL('../test-results/', import.meta.url));

describe('starter labs', () => {
  it('are all valid, and ckad-mock-1 follows the CKAD weights', async () => {
    const result = await execa('node', [bin, 'lab', 'validate', labs], { reject: false });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/all valid/);
    const mix = result.stdout.split('\n').filter((l) => /weight\s+\d+%/.test(l) && result.stdout.indexOf('exam ckad-mock-1') < result.stdout.indexOf(l));
    expect(mix.length).toBe(5);
    for (const line of mix) {
      const delta = Number(/([+-]\d+\.\d)$/.exec(line.trim())?.[1]);
      expect(Math.abs(delta), line).toBeLessThanOrEqual(10);
    }
  });

  // The labs that need real nodes run in kind-labs.test.ts; `--only kwok` lists them as left out here.
  it('pass `kubexam test`: nothing passes unsolved, the solution earns full marks', async () => {
    const result = await execa('node', [bin, 'test', labs, '--only', 'kwok', '--junit', `${results}starter-labs.xml`], { reject: false, env: { KUBEXAM_DATA_DIR: `${results}data` } });
    expect(result.exitCode, `${result.stdout}\n${result.stderr.slice(-3000)}`).toBe(0);
    expect(result.stdout).toMatch(/labs: \d+ passed, 0 failed/);
    const passed = Number(/labs: (\d+) passed/.exec(result.stdout)?.[1]);
    expect(passed).toBeGreaterThanOrEqual(12);
  });
});
