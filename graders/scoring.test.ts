import { describe, expect, it } from 'vitest';
import { KubexamError } from '../server/errors.ts';
import type { Curriculum } from '../server/labs/schema.ts';
import { buildReport, type ScoreInput } from './scoring.ts';
import type { CheckResult, CheckStatus, TaskResult } from './types.ts';

const curriculum: Curriculum = {
  apiVersion: 'kubexam.dev/v1',
  kind: 'Curriculum',
  metadata: { id: 'cka', title: 'Certified Kubernetes Administrator', version: '1.34', historic: false },
  domains: [
    { id: 'architecture', title: 'Cluster Architecture', weight: 25 },
    { id: 'workloads', title: 'Workloads & Scheduling', weight: 15 },
    { id: 'troubleshooting', title: 'Troubleshooting', weight: 60 },
  ],
};

function check(id: string, status: CheckStatus, points: number, maxPoints: number): CheckResult {
  return { id, status, points, maxPoints, message: `${id} ${status}`, durationMs: 10 };
}

/** A task whose single check earns `points` of `maxPoints`. */
function task(labId: string, domain: string, points: number, maxPoints: number, status: CheckStatus = points === maxPoints ? 'pass' : 'fail'): TaskResult {
  return { labId, title: labId, domain, domainTitle: domain, points, maxPoints, checks: [check('c', status, points, maxPoints)], durationMs: 10 };
}

function input(tasks: TaskResult[], passPercent = 66): ScoreInput {
  return { kind: 'exam', id: 'mock-1', title: 'Mock 1', curriculum, tasks, passPercent, startedAt: '2025-01-01T00:00:00.000Z', durationMs: 1000 };
}

describe('buildReport', () => {
  it('weights domain percentages and normalises over the domains the exam covers', () => {
    // architecture: 3/4 + 1/4 = 4/8 = 50%; workloads: 9/10 = 90%; troubleshooting not covered.
    // Score = (25 x 50 + 15 x 90) / (25 + 15) = 2600 / 40 = 65, while raw points are 13/18 = 72.2%.
    const report = buildReport(
      input([task('etcd-backup', 'architecture', 3, 4), task('rbac', 'architecture', 1, 4), task('deploy', 'workloads', 9, 10)]),
    );
    expect(report.domains).toEqual([
      { id: 'architecture', title: 'Cluster Architecture', weight: 25, points: 4, maxPoints: 8, percent: 50 },
      { id: 'workloads', title: 'Workloads & Scheduling', weight: 15, points: 9, maxPoints: 10, percent: 90 },
    ]);
    expect(report.scorePercent).toBe(65);
    expect(report.points).toBe(13);
    expect(report.maxPoints).toBe(18);
    expect(report.curriculum).toEqual({ id: 'cka', version: '1.34', title: 'Certified Kubernetes Administrator' });
  });

  it('orders domains as the curriculum does, not as the tasks come', () => {
    const report = buildReport(input([task('t1', 'troubleshooting', 1, 1), task('t2', 'architecture', 1, 1)]));
    expect(report.domains.map((d) => d.id)).toEqual(['architecture', 'troubleshooting']);
  });

  it('passes at exactly the pass mark and fails just below it', () => {
    const tasks = [task('etcd-backup', 'architecture', 3, 4), task('rbac', 'architecture', 1, 4), task('deploy', 'workloads', 9, 10)];
    expect(buildReport(input(tasks, 65)).passed).toBe(true);
    expect(buildReport(input(tasks, 65.01)).passed).toBe(false);
  });

  it('passes a score that equals the pass mark on paper but not in floating point', () => {
    // (5 x 0 + 45 x 700/9) / 50 is exactly 70, and 69.99999999999999 in doubles.
    const curriculum2: Curriculum = {
      ...curriculum,
      domains: [
        { id: 'a', title: 'A', weight: 5 },
        { id: 'b', title: 'B', weight: 45 },
        { id: 'c', title: 'C', weight: 50 },
      ],
    };
    const report = buildReport({ ...input([task('t1', 'a', 0, 1), task('t2', 'b', 7, 9)], 70), curriculum: curriculum2 });
    expect(report.scorePercent).toBe(70);
    expect(report.passed).toBe(true);
  });

  it('rounds percentages to 2 decimals', () => {
    const report = buildReport(input([task('t1', 'workloads', 2, 3)]));
    expect(report.domains[0]?.percent).toBe(66.67);
    expect(report.scorePercent).toBe(66.67);
  });

  it('gives a domain without possible points 0 percent', () => {
    const report = buildReport(input([task('t1', 'workloads', 0, 0, 'pass'), task('t2', 'architecture', 4, 4)]));
    expect(report.domains.find((d) => d.id === 'workloads')?.percent).toBe(0);
  });

  it('flags the report incomplete when any check ended in error', () => {
    const clean = buildReport(input([task('t1', 'workloads', 0, 4, 'fail')]));
    expect(clean.incomplete).toBe(false);
    const errored = buildReport(input([task('t1', 'workloads', 4, 4), task('t2', 'architecture', 0, 4, 'error')]));
    expect(errored.incomplete).toBe(true);
  });

  it('throws on a task in a domain the curriculum does not have', () => {
    const build = () => buildReport(input([task('t1', 'networking', 1, 1)]));
    expect(build).toThrow(KubexamError);
    expect(build).toThrow(/task t1 is in domain networking, which curriculum cka 1\.34 does not have/);
  });

  it('refuses to score nothing', () => {
    expect(() => buildReport(input([]))).toThrow(/no graded tasks/);
  });
});
