import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/kubexam.js', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
let dataDir: string;
let kubeconfig: string;

/** Runs the real CLI as a user would, with a private data dir and no terminal. */
function kubexam(...args: string[]) {
  return execa('node', [bin, ...args], { reject: false, env: { KUBEXAM_DATA_DIR: dataDir }, stdin: 'ignore' });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kubexam-cli-'));
  const created = await kubexam('cluster', 'create', 'cli-test', '--workers', '2');
  expect(created.exitCode, created.stderr).toBe(0);
  kubeconfig = created.stdout.trim();
});

afterAll(async () => {
  await kubexam('cluster', 'delete', '--all');
  await rm(dataDir, { recursive: true, force: true });
});

describe('kubexam CLI', () => {
  it('lists its commands', async () => {
    const help = await kubexam('--help');
    for (const command of ['assets', 'cluster', 'lab', 'grade', 'test']) expect(help.stdout).toContain(command);
  });

  it('reports invalid labs with file, line, column and a fix, exiting 1', async () => {
    const result = await kubexam('lab', 'validate', join(fixtures, 'invalid'));
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/bad-lab\/lab\.yaml:14:12: checks\[0\]\.check: unknown check "resource\.exist" \(did you mean "resource\.exists"\?\)/);
    expect(result.stdout).toMatch(/bad-lab\/lab\.yaml:17:12: solution\[0\]\.apply: .*leaves the lab folder/);
  });

  it('prints the task on setup, fails the unsolved lab (exit 1) and passes it solved (exit 0)', async () => {
    const lab = join(fixtures, 'labs', 'scale-web');
    const setup = await kubexam('lab', 'setup', lab, '--kubeconfig', kubeconfig, '--seed', 's1');
    expect(setup.exitCode, setup.stderr).toBe(0);
    expect(setup.stdout).toMatch(/In namespace `shop-\w{4}`, Deployment `web` does not roll out/);

    const unsolved = await kubexam('grade', '--lab', lab, '--kubeconfig', kubeconfig, '--seed', 's1', '--format', 'junit');
    expect(unsolved.exitCode).toBe(1);
    expect(unsolved.stdout).toMatch(/<testcase classname="fixture-scale-web\.fixture-scale-web" name="image"[^>]*>\s*<failure/);
    expect(unsolved.stdout).toMatch(/<skipped message="skipped: needs image to pass first"/);

    const solve = await kubexam('lab', 'solve', lab, '--kubeconfig', kubeconfig, '--seed', 's1');
    expect(solve.exitCode, solve.stderr).toBe(0);
    const out = join(dataDir, 'report.json');
    const solved = await kubexam('grade', '--lab', lab, '--kubeconfig', kubeconfig, '--seed', 's1', '--format', 'json', '--out', out);
    expect(solved.exitCode, solved.stderr).toBe(0);
    const report = JSON.parse(await readFile(out, 'utf8')) as { points: number; maxPoints: number; passed: boolean; domains: { id: string; percent: number }[] };
    expect(report).toMatchObject({ points: 6, maxPoints: 6, passed: true });
    expect(report.domains).toEqual([expect.objectContaining({ id: 'application-deployment', percent: 100 })]);
  });

  it('grades an exam by curriculum weights', async () => {
    const result = await kubexam('grade', '--exam', 'fixture-exam', '--path', fixtures, '--kubeconfig', kubeconfig, '--seed', 's1', '--format', 'json');
    const report = JSON.parse(result.stdout) as { kind: string; tasks: { labId: string; points: number }[]; scorePercent: number };
    expect(result.exitCode).toBe(0);
    expect(report.kind).toBe('exam');
    expect(report.tasks.map((t) => t.labId)).toEqual(['fixture-scale-web', 'fixture-leaky']);
    // scale-web was solved above (6 of 6); fixture-leaky was never set up (0 of 2). Both are in
    // one domain, so the exam scores 6 / 8 = 75 %, above the fixture's 60 % pass mark.
    expect(report.tasks.map((t) => t.points)).toEqual([6, 0]);
    expect(report.scorePercent).toBe(75);
  });

  it('exits 2 when the cluster cannot be reached, and says so', async () => {
    const dead = join(dataDir, 'dead.kubeconfig');
    await writeFile(dead, (await readFile(kubeconfig, 'utf8')).replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:1'));
    const result = await kubexam('grade', '--lab', join(fixtures, 'labs', 'scale-web'), '--kubeconfig', dead, '--budget', '3');
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toMatch(/could not be graded/);
  });

  it('exits 2 with a clear message for a missing kubeconfig or lab', async () => {
    const noFile = await kubexam('grade', '--lab', join(fixtures, 'labs', 'scale-web'), '--kubeconfig', '/nonexistent/kubeconfig');
    expect(noFile.exitCode).toBe(2);
    expect(noFile.stderr).toMatch(/^KUBECONFIG_UNREADABLE: cannot load kubeconfig \/nonexistent\/kubeconfig/m);
    const noLab = await kubexam('grade', '--lab', 'no-such-lab', '--path', join(fixtures, 'labs'), '--kubeconfig', kubeconfig);
    expect(noLab.exitCode).toBe(2);
    expect(noLab.stderr).toMatch(/LAB_NOT_FOUND: no lab "no-such-lab".*known labs: fixture-leaky, fixture-scale-web/);
  });

  it('author-tests labs: a good lab passes, a lab whose check passes unsolved fails, with JUnit', async () => {
    const junit = join(dataDir, 'test.xml');
    const result = await kubexam('test', join(fixtures, 'labs'), '--seed', 'cli', '--junit', junit);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/PASS\s+fixture-scale-web/);
    expect(result.stdout).toMatch(/FAIL\s+fixture-leaky/);
    expect(result.stdout).toMatch(/unsolved: check namespace-exists passes before the solution/);
    const xml = await readFile(junit, 'utf8');
    expect(xml).toMatch(/<testsuites name="kubexam test" tests="2" failures="1"/);
    expect((await kubexam('cluster', 'list')).stdout).not.toMatch(/^t-fixture/m);
  });
});
