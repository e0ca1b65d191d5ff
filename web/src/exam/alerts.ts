import { h } from '../dom.ts';

/** Minutes before the deadline at which the candidate is warned. */
const ALERT_MINUTES = [30, 15, 5] as const;

/**
 * Time warnings as banners. The server sends `event: alert`; the page also computes them from
 * its corrected clock, so a dropped stream cannot swallow one. Each threshold shows once.
 */
export class AlertBanners {
  readonly el: HTMLDivElement = h('div', { class: 'banners' });
  private readonly shown = new Set<number>();
  private armed = false;
  private readonly durationMs: number;

  /** `durationMinutes`: a threshold at or beyond the whole duration is never a warning. */
  constructor(durationMinutes: number) {
    this.durationMs = durationMinutes * 60_000;
  }

  /**
   * First reading of the clock: thresholds long past are not announced, the latest one is
   * (a page reopened with 12 minutes left says "15 minutes left" once), unless the session
   * was never longer than it (a 10-minute lab does not open with a 15-minute warning).
   */
  arm(remainingMs: number | null): void {
    if (this.armed || remainingMs === null) return;
    this.armed = true;
    const passed = ALERT_MINUTES.filter((m) => remainingMs <= m * 60_000);
    for (const m of passed) this.shown.add(m);
    const latest = passed.at(-1);
    if (latest !== undefined && remainingMs > 0 && latest * 60_000 < this.durationMs) this.banner(latest);
  }

  /** Called every tick with the time left. */
  tick(remainingMs: number | null): void {
    if (remainingMs === null) return;
    this.arm(remainingMs);
    for (const m of ALERT_MINUTES) if (remainingMs <= m * 60_000) this.timeAlert(m);
  }

  timeAlert(minutesLeft: number): void {
    if (this.shown.has(minutesLeft)) return;
    this.shown.add(minutesLeft);
    this.banner(minutesLeft);
  }

  error(message: string): void {
    this.show('error', message);
  }

  info(message: string): void {
    this.show('info', message);
  }

  private banner(minutesLeft: number): void {
    const tone = minutesLeft <= 5 ? 'danger' : 'warning';
    // Only one time warning at a time: the newest replaces the older ones.
    for (const old of this.el.querySelectorAll('.banner--time')) old.remove();
    this.show(tone, `${minutesLeft} minutes left. The exam is submitted automatically when the time is up.`, 'banner--time');
  }

  private show(tone: 'warning' | 'danger' | 'error' | 'info', message: string, extraClass = ''): void {
    const banner = h(
      'div',
      { class: `banner banner--${tone} ${extraClass}`.trim(), role: tone === 'info' ? 'status' : 'alert' },
      h('span', { class: 'banner__icon', 'aria-hidden': 'true' }, tone === 'info' ? 'ℹ' : '⚠'),
      h('span', { class: 'banner__text' }, message),
    );
    const dismiss = h('button', { type: 'button', class: 'banner__dismiss', 'aria-label': 'Dismiss' }, '×');
    dismiss.addEventListener('click', () => banner.remove());
    banner.append(dismiss);
    this.el.append(banner);
    if (tone === 'error' || tone === 'info') setTimeout(() => banner.remove(), 8000);
  }
}
