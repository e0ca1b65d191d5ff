import { escapeXml, xmlAttributes } from '../../graders/reporters/junit.ts';
import { testLabel, type LabTestResult } from './author-test.ts';

/** JUnit XML for `kubexam test`: one testcase per lab, failing with every problem found. */
export function renderTestJunit(results: readonly LabTestResult[], durationMs: number): string {
  const failures = results.filter((r) => r.problems.length > 0).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${xmlAttributes({ name: 'kubexam test', tests: String(results.length), failures: String(failures), errors: '0', time: (durationMs / 1000).toFixed(3) })}>`,
    `  <testsuite${xmlAttributes({ name: 'labs', tests: String(results.length), failures: String(failures), errors: '0', skipped: '0', time: (durationMs / 1000).toFixed(3) })}>`,
  ];
  for (const r of results) {
    const open = `    <testcase${xmlAttributes({ classname: 'kubexam.test', name: testLabel(r), file: r.file, time: (r.durationMs / 1000).toFixed(3) })}`;
    if (r.problems.length === 0) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`, `      <failure${xmlAttributes({ message: r.problems[0] ?? '', type: 'lab-test' })}>${escapeXml(`seed ${r.seed}\n${r.problems.join('\n')}`)}</failure>`, '    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>');
  return `${lines.join('\n')}\n`;
}
