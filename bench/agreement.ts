import type { CheckResult, GradeReport } from '../graders/types.ts';
import type { ShellResult } from './shell-run.ts';

export interface Disagreement {
  key: string;
  primitive: string;
  kubexam: string;
  shell: string;
  why: string;
  /** For a check kubexam skipped: what its primitive says when run once anyway. */
  anyway?: string;
}

export interface Agreement {
  compared: number;
  agreeing: number;
  disagreements: Disagreement[];
}

/**
 * Compares the shell grader's pass/fail with kubexam's, check by check. kubexam's `skipped`
 * and `error` count as not passing; every difference comes back with the reason it arises.
 */
export function compare(report: GradeReport, shell: readonly ShellResult[], primitives: ReadonlyMap<string, string>): Agreement {
  const kubexam = new Map<string, CheckResult>(report.tasks.flatMap((t) => t.checks.map((c) => [`${t.labId}/${c.id}`, c] as const)));
  const disagreements: Disagreement[] = [];
  for (const s of shell) {
    const k = kubexam.get(s.key);
    const primitive = primitives.get(s.key) ?? '?';
    if (!k) {
      disagreements.push({ key: s.key, primitive, kubexam: 'not in report', shell: s.pass ? 'pass' : 'fail', why: 'the check is missing from kubexam\'s report' });
      continue;
    }
    if ((k.status === 'pass') === s.pass) continue;
    disagreements.push({
      key: s.key,
      primitive,
      kubexam: k.message.startsWith(k.status) ? k.message : `${k.status}: ${k.message}`,
      shell: s.pass ? 'pass' : `fail: ${s.detail}`,
      why: explain(k.status, s.pass, primitive, k.message),
    });
  }
  return { compared: shell.length, agreeing: shell.length - disagreements.length, disagreements };
}

function explain(status: string, shellPass: boolean, primitive: string, message: string): string {
  if (status === 'skipped') {
    return 'kubexam skips a check until the checks it `requires` pass, so an untouched cluster earns no points for it; a shell script has no dependencies and grades the state as it is.';
  }
  if (status === 'error') return `kubexam could not grade (${message}); the shell cannot tell an error from a fail`;
  if (primitive === 'workload.ready' && shellPass) {
    return 'the shell compares readyReplicas with spec.replicas; kubexam also wants the rollout finished (observedGeneration, updatedReplicas, no surplus old Pods)';
  }
  if (primitive === 'resource.count' && shellPass) return 'the shell matched fewer facts per object than kubexam (list items by key, not by position)';
  if (!shellPass && status === 'pass') {
    return 'kubexam polls a check until it passes or times out; the shell takes one snapshot, earlier (the state moved between the two)';
  }
  if (primitive === 'resource.match') return 'string comparison vs kubexam\'s matcher (quantities by value, unordered lists, items by key)';
  return 'not classified: see both outputs';
}
