import type { ProgressEvent } from '../progress.ts';
import type { StateEvent } from '../http/contract.ts';

export type SessionEvent =
  | { type: 'progress'; data: ProgressEvent }
  | { type: 'state'; data: StateEvent }
  | { type: 'alert'; data: { minutesLeft: number } };

type Listener = (event: SessionEvent) => void;

/** In-process pub/sub of live session events, feeding the SSE streams. */
export class EventHub {
  private readonly listeners = new Map<string, Set<Listener>>();

  subscribe(sessionId: string, listener: Listener): () => void {
    const set = this.listeners.get(sessionId) ?? new Set();
    set.add(listener);
    this.listeners.set(sessionId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(sessionId);
    };
  }

  publish(sessionId: string, event: SessionEvent): void {
    for (const listener of this.listeners.get(sessionId) ?? []) listener(event);
  }
}
