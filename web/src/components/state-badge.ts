import type { SessionState } from '../../../server/http/contract.ts';
import { h } from '../dom.ts';

const labels: Record<SessionState, string> = {
  provisioning: 'Provisioning',
  ready: 'Ready',
  running: 'Running',
  submitted: 'Submitted',
  grading: 'Grading',
  graded: 'Graded',
  closed: 'Closed',
  failed: 'Failed',
};

export function stateBadge(state: SessionState): HTMLSpanElement {
  return h('span', { class: `badge badge--state-${state}` }, labels[state] ?? state);
}

export function passBadge(passed: boolean): HTMLSpanElement {
  return h('span', { class: `badge ${passed ? 'badge--pass' : 'badge--fail'}` }, passed ? 'PASSED' : 'FAILED');
}
