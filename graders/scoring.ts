import { KubexamError } from '../server/errors.ts';
import type { Curriculum } from '../server/labs/schema.ts';
import type { DomainResult, GradeReport, TaskResult } from './types.ts';

export interface ScoreInput {
  kind: 'lab' | 'exam';
  id: string;
  title: string;
  curriculum: Curriculum;
  /** `points` is the sum of earned check points, `maxPoints` the lab's points. */
  tasks: TaskResult[];
  passPercent: number;
  startedAt: string;
  durationMs: number;
}

/**
 * Percentages in the report are rounded to 2 decimals, and `passed` is decided on that stored
 * value: the rounding absorbs float noise (a score that is exactly the pass mark on paper must
 * not fail at 65.99999999999999), and the report never says one number and decides on another.
 * Reporters round further (1 decimal) only for display.
 */
export function roundPercent(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Scores graded tasks against a curriculum: per-domain earned / possible, then the exam score
 * as the curriculum-weighted mean of the domain percentages, normalised over the domains the
 * tasks cover (an exam that leaves a domain out is not marked down for it).
 */
export function buildReport(input: ScoreInput): GradeReport {
  const { curriculum, tasks } = input;
  if (tasks.length === 0) throw new KubexamError('GRADE_NO_TASKS', `${input.kind} ${input.id} has no graded tasks to score`);
  const known = new Set(curriculum.domains.map((d) => d.id));
  for (const task of tasks) {
    if (!known.has(task.domain)) {
      throw new KubexamError(
        'GRADE_UNKNOWN_DOMAIN',
        `task ${task.labId} is in domain ${task.domain}, which curriculum ${curriculum.metadata.id} ${curriculum.metadata.version} does not have (domains: ${[...known].join(', ')})`,
      );
    }
  }

  const domains: DomainResult[] = [];
  for (const domain of curriculum.domains) {
    const covering = tasks.filter((t) => t.domain === domain.id);
    if (covering.length === 0) continue;
    const points = sum(covering.map((t) => t.points));
    const maxPoints = sum(covering.map((t) => t.maxPoints));
    domains.push({
      id: domain.id,
      title: domain.title,
      weight: domain.weight,
      points,
      maxPoints,
      percent: roundPercent(maxPoints === 0 ? 0 : (100 * points) / maxPoints),
    });
  }

  // Weighted from unrounded domain percentages, so rounding happens once, at the end.
  const coveredWeight = sum(domains.map((d) => d.weight));
  const weighted = sum(domains.map((d) => d.weight * (d.maxPoints === 0 ? 0 : (100 * d.points) / d.maxPoints)));
  const scorePercent = roundPercent(weighted / coveredWeight);

  return {
    kind: input.kind,
    id: input.id,
    title: input.title,
    curriculum: { id: curriculum.metadata.id, version: curriculum.metadata.version, title: curriculum.metadata.title },
    tasks,
    domains,
    points: sum(tasks.map((t) => t.points)),
    maxPoints: sum(tasks.map((t) => t.maxPoints)),
    scorePercent,
    passPercent: input.passPercent,
    passed: scorePercent >= input.passPercent,
    incomplete: tasks.some((t) => t.checks.some((c) => c.status === 'error')),
    startedAt: input.startedAt,
    durationMs: input.durationMs,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}
