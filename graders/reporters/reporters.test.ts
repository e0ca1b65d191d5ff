import { describe, expect, it } from 'vitest';
import type { GradeReport } from '../types.ts';
import { renderReport } from './index.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { formatPercent, renderText } from './text.ts';

function sampleReport(): GradeReport {
  return {
    kind: 'exam',
    id: 'cka-mock-1',
    title: 'CKA mock exam 1',
    curriculum: { id: 'cka', version: '1.34', title: 'Certified Kubernetes Administrator' },
    tasks: [
      {
        labId: 'deploy-web',
        title: 'Deploy the web app',
        domain: 'workloads',
        domainTitle: 'Workloads & Scheduling',
        points: 3,
        maxPoints: 4,
        checks: [
          { id: 'exists', status: 'pass', points: 1, maxPoints: 1, message: 'deployment web exists', durationMs: 120 },
          {
            id: 'image',
            status: 'fail',
            points: 0,
            maxPoints: 1,
            message: 'deployment web: container web runs the wrong image',
            path: 'spec.template.spec.containers[name=web].image',
            expected: 'nginx:1.27',
            actual: 'ngnix:1.27',
            durationMs: 5000,
          },
          { id: 'replicas', status: 'pass', points: 2, maxPoints: 2, message: 'deployment web has 3 replicas', durationMs: 80 },
        ],
        durationMs: 5200,
      },
      {
        labId: 'node-fix',
        title: 'Fix the broken node',
        domain: 'troubleshooting',
        domainTitle: 'Troubleshooting',
        points: 0,
        maxPoints: 6,
        checks: [
          { id: 'kubelet', status: 'error', points: 0, maxPoints: 4, message: 'could not reach node exam-worker: timeout', durationMs: 30000 },
          { id: 'ready', status: 'skipped', points: 0, maxPoints: 2, message: 'requires kubelet', durationMs: 0 },
        ],
        durationMs: 30000,
      },
    ],
    domains: [
      { id: 'workloads', title: 'Workloads & Scheduling', weight: 15, points: 3, maxPoints: 4, percent: 75 },
      { id: 'troubleshooting', title: 'Troubleshooting', weight: 30, points: 0, maxPoints: 6, percent: 0 },
    ],
    points: 3,
    maxPoints: 10,
    scorePercent: 25,
    passPercent: 66,
    passed: false,
    incomplete: true,
    startedAt: '2025-06-01T10:00:00.000Z',
    durationMs: 3723000,
  };
}

/** A tiny well-formedness check: balanced tags, quoted attributes, no raw `<` or stray `&`. */
function assertWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml [^?]*\?>\n/, '');
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of body.matchAll(token)) {
    const [, closing, name, attrs, selfClosing, text, stray] = m;
    if (stray) throw new Error(`stray < at ${m.index}`);
    const raw = text ?? attrs ?? '';
    const badAmp = /&(?!(?:amp|lt|gt|quot|apos|#\d+);)/.exec(raw);
    if (badAmp) throw new Error(`unescaped & at ${m.index}`);
    if (text !== undefined) continue;
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else if (!selfClosing) stack.push(name as string);
  }
  if (stack.length > 0) throw new Error(`unclosed: ${stack.join(', ')}`);
}

const countOf = (xml: string, pattern: RegExp): number => xml.match(pattern)?.length ?? 0;

describe('renderText', () => {
  it('renders tasks, failed checks, domains and the verdict', () => {
    expect(renderText(sampleReport())).toMatchInlineSnapshot(`
      "CKA mock exam 1 (exam cka-mock-1)
      Curriculum: Certified Kubernetes Administrator, version 1.34
      Started 2025-06-01T10:00:00.000Z, took 1h 02m 03s

      Task        Domain                  Points  Checks
      deploy-web  Workloads & Scheduling     3/4  ✓ ✗ ✓
      node-fix    Troubleshooting            0/6  ! -
      ✓ pass  ✗ fail  ! could not grade  - skipped (a required check did not pass)

      Checks not passed
        ✗ deploy-web/image: deployment web: container web runs the wrong image
            path      spec.template.spec.containers[name=web].image
            expected  "nginx:1.27"
            actual    "ngnix:1.27"
        ! node-fix/kubelet: could not reach node exam-worker: timeout

      Domain                  Weight  Points  Percent
      Workloads & Scheduling     15%     3/4    75.0%
      Troubleshooting            30%     0/6     0.0%

      Points 3/10
      SCORE 25.0% — FAILED (pass mark 66%)
      Warning: some checks could not be graded (error) — the score may understate the candidate
      "
    `);
  });

  it('lists every check with details', () => {
    const text = renderText(sampleReport(), { details: true });
    expect(text).toContain('  ✓ deploy-web/exists: deployment web exists');
    expect(text).toContain('  - node-fix/ready: requires kubelet');
  });

  it('colours only when asked', () => {
    expect(renderText(sampleReport())).not.toMatch(/\x1b\[/);
    const coloured = renderText(sampleReport(), { color: true });
    expect(coloured).toContain('\x1b[31mFAILED\x1b[0m');
    // Padding is computed on the visible text, so colour does not shift the columns.
    const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
    expect(strip(coloured)).toBe(renderText(sampleReport()));
  });

  it('says PASSED and leaves out the warning for a complete passing report', () => {
    const report = { ...sampleReport(), scorePercent: 72.5, passed: true, incomplete: false };
    const text = renderText(report);
    expect(text).toContain('SCORE 72.5% — PASSED (pass mark 66%)\n');
    expect(text).not.toContain('could not be graded');
  });

  it('truncates long values', () => {
    const report = sampleReport();
    const failing = report.tasks[0]?.checks[1];
    if (!failing) throw new Error('fixture changed');
    failing.actual = { spec: { containers: Array.from({ length: 20 }, (_, i) => ({ name: `c${i}`, image: 'nginx' })) } };
    const line = renderText(report).split('\n').find((l) => l.trimStart().startsWith('actual'));
    expect(line?.trim().length).toBe('actual    '.length + 120);
    expect(line?.endsWith('…')).toBe(true);
  });
});

describe('formatPercent', () => {
  it('cuts to one decimal so a failing score never shows the pass mark', () => {
    expect(formatPercent(65.96)).toBe('65.9%');
    expect(formatPercent(72.5)).toBe('72.5%');
    expect(formatPercent(66.67)).toBe('66.6%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(100)).toBe('100.0%');
  });
});

describe('renderJson', () => {
  it('writes keys in the order of the types, whatever the input order', () => {
    const report = sampleReport();
    const shuffled = Object.fromEntries(Object.entries(report).reverse()) as unknown as GradeReport;
    const json = renderJson(shuffled);
    expect(json).toBe(renderJson(report));
    expect(json.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(json) as object)).toEqual(Object.keys(report));
    expect(JSON.parse(json)).toEqual(report);
  });
});

describe('renderJunit', () => {
  it('writes one testcase per check, counting failures, errors and skips', () => {
    const xml = renderJunit(sampleReport());
    assertWellFormed(xml);
    expect(countOf(xml, /<testsuite /g)).toBe(2);
    expect(countOf(xml, /<testcase /g)).toBe(5);
    expect(countOf(xml, /<failure /g)).toBe(1);
    expect(countOf(xml, /<error /g)).toBe(1);
    expect(countOf(xml, /<skipped /g)).toBe(1);
    expect(xml).toContain('<testsuites name="CKA mock exam 1" tests="5" failures="1" errors="1" skipped="1" time="3723.000">');
    expect(xml).toContain('<testcase classname="cka-mock-1.deploy-web" name="image" time="5.000">');
    expect(xml).toContain('<property name="maxPoints" value="6"/>');
    expect(xml).toContain('path: spec.template.spec.containers[name=web].image\nexpected: &quot;nginx:1.27&quot;\nactual: &quot;ngnix:1.27&quot;</failure>');
  });

  it('escapes markup and strips characters XML 1.0 forbids', () => {
    const report = sampleReport();
    const failing = report.tasks[0]?.checks[1];
    if (!failing) throw new Error('fixture changed');
    failing.message = `value <b> & "quoted" 'single'\u0000\u001b end`;
    failing.actual = '</failure><x>';
    const xml = renderJunit(report);
    assertWellFormed(xml);
    expect(xml).toContain('message="value &lt;b&gt; &amp; &quot;quoted&quot; &apos;single&apos; end"');
    expect(xml).toContain('actual: &quot;&lt;/failure&gt;&lt;x&gt;&quot;');
    expect(xml).not.toMatch(/[\u0000\u001b]/);
    expect(countOf(xml, /<failure /g)).toBe(1);
  });

  it('keeps line breaks in attributes', () => {
    const report = sampleReport();
    const failing = report.tasks[0]?.checks[1];
    if (!failing) throw new Error('fixture changed');
    failing.message = 'line one\nline two';
    expect(renderJunit(report)).toContain('message="line one&#10;line two"');
  });

  it('the well-formedness check itself catches broken XML', () => {
    expect(() => assertWellFormed('<a><b></a>')).toThrow();
    expect(() => assertWellFormed('<a>x & y</a>')).toThrow();
    expect(() => assertWellFormed('<a>x < y</a>')).toThrow();
  });
});

describe('renderReport', () => {
  it('dispatches on the format', () => {
    const report = sampleReport();
    expect(renderReport(report, 'json')).toBe(renderJson(report));
    expect(renderReport(report, 'junit')).toBe(renderJunit(report));
    expect(renderReport(report, 'text', { details: true })).toBe(renderText(report, { details: true }));
  });
});
