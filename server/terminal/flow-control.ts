/**
 * Watermark flow control, as in the xterm.js flow-control guide: count bytes handed to a
 * consumer that it has not confirmed yet; above `high` ask the producer to pause, and once the
 * consumer has caught up below `low` let it resume. The gap between the marks keeps the
 * producer from flapping between pause and resume on every acknowledgement.
 */
export interface FlowControlOptions {
  /** Pause once more than this many bytes are unacknowledged. @default 262144 (256 KiB) */
  high?: number;
  /** Resume once the unacknowledged bytes drop below this. @default 32768 (32 KiB) */
  low?: number;
  onPause: () => void;
  onResume: () => void;
}

export const DEFAULT_HIGH_WATERMARK = 256 * 1024;
export const DEFAULT_LOW_WATERMARK = 32 * 1024;

export class FlowControl {
  readonly high: number;
  readonly low: number;
  private readonly onPause: () => void;
  private readonly onResume: () => void;
  private unacked = 0;
  private isPaused = false;

  constructor(options: FlowControlOptions) {
    this.high = options.high ?? DEFAULT_HIGH_WATERMARK;
    this.low = options.low ?? DEFAULT_LOW_WATERMARK;
    if (!(this.low >= 0 && this.low < this.high)) {
      throw new RangeError(`flow control needs 0 <= low < high (got low ${this.low}, high ${this.high})`);
    }
    this.onPause = options.onPause;
    this.onResume = options.onResume;
  }

  /** Bytes handed to the consumer and not yet acknowledged. */
  get pending(): number {
    return this.unacked;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  sent(bytes: number): void {
    this.unacked += bytes;
    if (!this.isPaused && this.unacked > this.high) {
      this.isPaused = true;
      this.onPause();
    }
  }

  /** A consumer can never acknowledge more than it was sent; extra is ignored. */
  acked(bytes: number): void {
    this.unacked = Math.max(0, this.unacked - bytes);
    if (this.isPaused && this.unacked < this.low) {
      this.isPaused = false;
      this.onResume();
    }
  }

  /** Forgets everything in flight (a new consumer starts from zero) and resumes if paused. */
  reset(): void {
    this.unacked = 0;
    if (this.isPaused) {
      this.isPaused = false;
      this.onResume();
    }
  }
}

/**
 * One producer paused for several reasons (a slow browser, a busy screen mirror): it runs only
 * while no reason holds it.
 */
export class PauseGate {
  private readonly holders = new Set<string>();
  private readonly pause: () => void;
  private readonly resume: () => void;

  constructor(pause: () => void, resume: () => void) {
    this.pause = pause;
    this.resume = resume;
  }

  get paused(): boolean {
    return this.holders.size > 0;
  }

  hold(reason: string): void {
    const wasPaused = this.paused;
    this.holders.add(reason);
    if (!wasPaused) this.pause();
  }

  release(reason: string): void {
    if (!this.holders.delete(reason)) return;
    if (!this.paused) this.resume();
  }
}
