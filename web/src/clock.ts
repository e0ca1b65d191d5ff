/** Time left on the server's clock: the page corrects its own by the offset it measured. */
export class ServerClock {
  private offsetMs = 0;

  /** `serverNow` from a response, with the local times the request was sent and answered. */
  sample(serverNow: string, sentAt: number, receivedAt = Date.now()): void {
    const server = Date.parse(serverNow);
    if (!Number.isNaN(server)) this.offsetMs = server - (sentAt + receivedAt) / 2;
  }

  setOffset(offsetMs: number): void {
    this.offsetMs = offsetMs;
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Milliseconds until `deadlineAt` (never negative), or null without a deadline. */
  remainingMs(deadlineAt: string | null): number | null {
    if (!deadlineAt) return null;
    return Math.max(0, Date.parse(deadlineAt) - this.now());
  }
}

/** `1:05:09`, `05:09` under an hour. */
export function formatDuration(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

/** A short human form for tables: `1 h 05 min`, `12 min`, `40 s`. */
export function formatShort(ms: number): string {
  const total = Math.ceil(ms / 1000);
  if (total < 60) return `${total} s`;
  const minutes = Math.ceil(total / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A time today as `14:05`, another day as `Nov 21, 14:05`. */
export function formatWhen(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (date.toDateString() === new Date().toDateString()) return time;
  return `${date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })}, ${time}`;
}
