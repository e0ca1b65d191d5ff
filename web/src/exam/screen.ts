import type { SessionView } from '../../../server/http/contract.ts';

/** One state of the exam page (provisioning, ready, running, waiting, message). */
export interface Screen {
  readonly kind: ScreenKind;
  readonly el: HTMLElement;
  /** A fresh SessionView of the same kind: update in place, keep what the candidate did. */
  update(view: SessionView): void;
  /** `event: alert` from the server. */
  alert?(minutesLeft: number): void;
  /** The event stream dropped or came back. */
  connection?(up: boolean): void;
  dispose(): void;
}

export type ScreenKind = 'provisioning' | 'ready' | 'running' | 'waiting' | 'closed' | 'failed';

export function screenKind(view: SessionView): ScreenKind | 'graded' {
  switch (view.state) {
    case 'provisioning':
      return 'provisioning';
    case 'ready':
      return 'ready';
    case 'running':
      return 'running';
    case 'submitted':
    case 'grading':
      return 'waiting';
    case 'graded':
      return 'graded';
    case 'closed':
      return view.scorePercent === null ? 'closed' : 'graded';
    case 'failed':
      return 'failed';
  }
}
