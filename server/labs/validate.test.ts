import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue, LabError } from './issues.ts';
import { loadLibrary } from './library.ts';
import { loadLab } from './load.ts';
import { validateExam, validateLab } from './validate.ts';

const goodLab = `apiVersion: kubexam.dev/v1
kind: Lab
metadata:
  id: sample
  title: Sample
  curriculum: ckad
  domain: application-deployment
  points: 3
  minutes: 2
params:
  ns: { pick: [a, b] }
setup:
  - run: kubectl create namespace {{ ns }}
task: Scale web in {{ ns }}.
checks:
  - id: scaled
    points: 3
    check: workload.ready
    with: { kind: Deployment, name: web, namespace: "{{ ns }}", replicas: 3 }
solution:
  - run: kubectl -n {{ ns }} scale deployment web --replicas=3
`;

async function labDir(text: string, extra: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kubexam-lab-'));
  await writeFile(join(dir, 'lab.yaml'), text);
  for (const [name, content] of Object.entries(extra)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

async function issuesOf(text: string, extra?: Record<string, string>): Promise<string[]> {
  const dir = await labDir(text, extra);
  const { library, issues } = await loadLibrary([dir]);
  for (const lab of library.labs.values()) issues.push(...(await validateLab(lab, library)));
  return issues.map((i) => formatIssue({ ...i, file: i.file.replace(dir, '<lab>') }));
}

describe('lab validation', () => {
  it('accepts a valid lab', async () => {
    expect(await issuesOf(goodLab)).toEqual([]);
  });

  it('reports YAML syntax errors with line and column', async () => {
    const dir = await labDir('apiVersion: kubexam.dev/v1\nkind: Lab\nmetadata:\n  id: [oops\n');
    const error = await loadLab(join(dir, 'lab.yaml')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabError);
    const issue = (error as LabError).issues[0];
    expect(issue?.line).toBeGreaterThanOrEqual(4);
    expect(issue?.message).toMatch(/YAML syntax/);
  });

  it('names file, line, column and field path of a schema error', async () => {
    const issues = await issuesOf(goodLab.replace('  points: 3\n  minutes', '  points: three\n  minutes'));
    expect(issues).toEqual([expect.stringMatching(/^<lab>\/lab\.yaml:8:11: metadata\.points: .*number/)]);
  });

  it('points at an unknown field itself', async () => {
    const issues = await issuesOf(goodLab.replace('    points: 3\n    check:', '    points: 3\n    chek: x\n    check:'));
    expect(issues).toEqual([expect.stringMatching(/lab\.yaml:18:5: checks\[0\]\.chek: unknown field "chek"/)]);
  });

  it('suggests the closest check name for an unknown one', async () => {
    const issues = await issuesOf(goodLab.replace('check: workload.ready', 'check: workload.redy'));
    expect(issues).toEqual([expect.stringMatching(/lab\.yaml:18:12: checks\[0\]\.check: unknown check "workload\.redy" \(did you mean "workload\.ready"\?\)/)]);
  });

  it('checks primitive arguments against a sample of the params', async () => {
    const issues = await issuesOf(goodLab.replace('kind: Deployment, name: web', 'kind: Deploymnt, name: web'));
    expect(issues).toEqual([expect.stringMatching(/checks\[0\]\.with\.kind: /)]);
  });

  it('refuses templates naming undeclared params or expressions', async () => {
    const issues = await issuesOf(goodLab.replace('task: Scale web in {{ ns }}.', 'task: Scale {{ app }} in {{ process.env.HOME }}.'));
    expect(issues).toEqual([
      expect.stringMatching(/task: "\{\{ app \}\}" names no declared param/),
      expect.stringMatching(/task: "\{\{ process\.env\.HOME \}\}" is not a param name/),
    ]);
  });

  it('requires points to add up', async () => {
    const issues = await issuesOf(goodLab.replace('  points: 3\n  minutes', '  points: 4\n  minutes'));
    expect(issues).toEqual([expect.stringMatching(/metadata\.points: is 4 but the checks' points add up to 3/)]);
  });

  it('finds requires cycles, unknown and forward references', async () => {
    const checks = `checks:
  - { id: a, points: 1, check: node.ready, with: { node: node01 }, requires: [b] }
  - { id: b, points: 1, check: node.ready, with: { node: node01 }, requires: [a] }
  - { id: c, points: 1, check: node.ready, with: { node: node01 }, requires: [zzz] }
`;
    const text = goodLab.replace(/checks:[\s\S]*?solution:/, `${checks}solution:`).replace('  points: 3\n  minutes', '  points: 3\n  minutes');
    const issues = await issuesOf(text);
    expect(issues.some((i) => /requires forms a cycle: a -> b -> a|requires forms a cycle: b -> a -> b/.test(i))).toBe(true);
    expect(issues.some((i) => /checks\[2\]\.requires\[0\]: requires unknown check "zzz"/.test(i))).toBe(true);
  });

  it('keeps manifest paths inside the lab folder', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'kubexam-outside-'));
    await writeFile(join(outside, 'secret.yaml'), 'kind: Secret\n');
    const dir = await labDir(goodLab.replace('  - run: kubectl create namespace {{ ns }}', '  - apply: ../../etc/passwd\n  - apply: /etc/passwd\n  - apply: link.yaml\n  - apply: missing.yaml'));
    await symlink(join(outside, 'secret.yaml'), join(dir, 'link.yaml'));
    const { library } = await loadLibrary([dir]);
    const issues = (await validateLab([...library.labs.values()][0]!, library)).map((i) => `${i.path}: ${i.message}`);
    expect(issues).toEqual([
      expect.stringMatching(/setup\[0\]\.apply: .*leaves the lab folder/),
      expect.stringMatching(/setup\[1\]\.apply: .*is absolute/),
      expect.stringMatching(/setup\[2\]\.apply: .*link that leads out/),
      expect.stringMatching(/setup\[3\]\.apply: .*does not exist/),
    ]);
  });

  it('rejects unknown faults and bad fault params', async () => {
    const issues = await issuesOf(goodLab.replace('  - run: kubectl create namespace {{ ns }}', '  - fault: node-not-redy\n    with: { node: node01 }\n  - fault: pod-crashing\n    with: { namespace: x }'));
    expect(issues).toEqual([
      expect.stringMatching(/setup\[0\]\.fault: unknown fault "node-not-redy" \(did you mean "node-not-ready"\?\)/),
      expect.stringMatching(/setup\[1\]\.with\.deployment: /),
    ]);
  });

  it('checks every fault a templated fault name can take, with the params that go with it', async () => {
    const lab = (fault: string, pick: string) =>
      goodLab
        .replace('  ns: { pick: [a, b] }', `  ns: { pick: [a, b] }\n  cause: { pick: [${pick}] }`)
        .replace('  - run: kubectl create namespace {{ ns }}', `  - fault: "${fault}"\n    with: { node: node01 }`);
    expect(await issuesOf(lab('{{ cause }}', 'node-not-ready'))).toEqual([]);
    expect(await issuesOf(lab('{{ cause }}', 'node-not-ready, node-not-redy, pod-crashing'))).toEqual([
      expect.stringMatching(/setup\[0\]\.fault: unknown fault "node-not-redy" \(did you mean "node-not-ready"\?\)/),
      expect.stringMatching(/setup\[0\]\.with\.deployment: \(fault pod-crashing\) /),
      expect.stringMatching(/setup\[0\]\.with: \(fault pod-crashing\) Unrecognized key: "node"/),
    ]);
    expect(await issuesOf(lab('node-{{ cause }}', 'not-ready'))).toEqual([expect.stringMatching(/setup\[0\]\.fault: a templated fault name must be exactly "\{\{ param \}\}" of a param with `pick:`/)]);
    expect(await issuesOf(lab('{{ ns }}', 'x').replace('  ns: { pick: [a, b] }', '  ns: { randomName: { prefix: n } }'))).toEqual([expect.stringMatching(/a templated fault name must be exactly/)]);
  });

  it('asks a lab injecting a fault only real nodes can take to require node-shell', async () => {
    const lab = goodLab.replace('  - run: kubectl create namespace {{ ns }}', '  - fault: kubelet-stopped\n    with: { node: node01 }');
    expect(await issuesOf(lab)).toEqual([expect.stringMatching(/setup\[0\]\.fault: kubelet-stopped can only be injected on kind; add node-shell to cluster\.requires/)]);
    expect(await issuesOf(lab.replace('params:', 'cluster: { requires: [node-shell] }\nparams:'))).toEqual([]);
  });

  it('asks a lab using a check that needs real pods or nodes to require that capability', async () => {
    const logs = goodLab.replace(
      'check: workload.ready\n    with: { kind: Deployment, name: web, namespace: "{{ ns }}", replicas: 3 }',
      'check: pod.logs\n    with: { namespace: "{{ ns }}", selector: app=web, matches: started }',
    );
    expect(await issuesOf(logs)).toEqual([expect.stringMatching(/lab\.yaml:18:12: checks\[0\]\.check: pod\.logs needs pod-logs; add it to cluster\.requires/)]);
    expect(await issuesOf(logs.replace('params:', 'cluster: { requires: [pod-logs] }\nparams:'))).toEqual([]);
  });

  it('rejects a domain that is not in the curriculum', async () => {
    const issues = await issuesOf(goodLab.replace('domain: application-deployment', 'domain: storage'));
    expect(issues).toEqual([expect.stringMatching(/metadata\.domain: "storage" is not a domain of ckad/)]);
  });
});

describe('exam validation', () => {
  it('reports unknown tasks, foreign curricula and the domain mix', async () => {
    const dir = await labDir(goodLab);
    await writeFile(
      join(dir, 'exam.yaml'),
      `apiVersion: kubexam.dev/v1
kind: Exam
metadata: { id: mock, title: Mock, curriculum: cka, durationMinutes: 60, passPercent: 66 }
tasks: [sample, nope]
`,
    );
    const { library } = await loadLibrary([dir]);
    const { issues, mix } = validateExam(library.exams.get('mock')!, library);
    expect(issues.map((i) => i.message)).toEqual([
      'lab sample belongs to curriculum ckad, not cka',
      expect.stringMatching(/^no lab with id "nope"/),
    ]);
    expect(mix.find((d) => d.points > 0)).toBeUndefined();
  });
});
