/**
 * Progress of long work (asset builds, cluster creation, grading). Producers emit events; the CLI
 * renders them, the server will stream them. Producers never print.
 */
export interface ProgressEvent {
  /** What is being worked on, e.g. `assets`, `cluster/dev`, `grade`. */
  scope: string;
  /** A short present-tense description of the current step. */
  message: string;
  /** 0..1 when the step can say how far along it is. */
  fraction?: number;
  /** `done` closes the step; `fail` reports it failed (an error follows). */
  state?: 'start' | 'update' | 'done' | 'fail';
}

export type ProgressSink = (event: ProgressEvent) => void;

export const silentProgress: ProgressSink = () => {};
