/**
 * The grading contract: what a check returns, what a task and an exam report hold. Reporters,
 * the CLI, and (later) the server all speak these types.
 */

/**
 * pass: the cluster is as required. fail: it is not. error: we could not tell (API unreachable,
 * timeout, a grader that threw) and the candidate is not charged silently: the report says so.
 * skipped: a check it `requires` did not pass.
 */
export type CheckStatus = 'pass' | 'fail' | 'error' | 'skipped';

export interface CheckResult {
  id: string;
  status: CheckStatus;
  points: number;
  maxPoints: number;
  message: string;
  /** The field path that decided a failure, e.g. `spec.template.spec.containers[name=web].image`. */
  path?: string;
  expected?: unknown;
  actual?: unknown;
  durationMs: number;
}

/** What a check primitive or a custom grader returns; the runner adds id, points and timing. */
export interface CheckOutcome {
  status: 'pass' | 'fail' | 'error';
  message?: string;
  path?: string;
  expected?: unknown;
  actual?: unknown;
}

export interface TaskResult {
  labId: string;
  title: string;
  domain: string;
  domainTitle: string;
  points: number;
  maxPoints: number;
  checks: CheckResult[];
  durationMs: number;
}

export interface DomainResult {
  id: string;
  title: string;
  /** The curriculum's weight for this domain, in percent of the whole exam. */
  weight: number;
  points: number;
  maxPoints: number;
  /** earned / possible in this domain, 0..100. */
  percent: number;
}

export interface GradeReport {
  kind: 'lab' | 'exam';
  id: string;
  title: string;
  curriculum: { id: string; version: string; title: string };
  tasks: TaskResult[];
  domains: DomainResult[];
  points: number;
  maxPoints: number;
  /** Sum over covered domains of weight x domain percent, normalised over the covered weights. */
  scorePercent: number;
  passPercent: number;
  passed: boolean;
  /** True when at least one check ended in `error`: the score may understate the candidate. */
  incomplete: boolean;
  startedAt: string;
  durationMs: number;
}
