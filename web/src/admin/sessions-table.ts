import type { SessionSummary } from '../../../server/http/contract.ts';
import { formatShort, formatWhen, type ServerClock } from '../clock.ts';
import { passBadge, stateBadge } from '../components/state-badge.ts';
import { h } from '../dom.ts';

const live = new Set(['provisioning', 'ready', 'running', 'submitted', 'grading']);

/** Sessions, newest first, with their state, time left and score; time left ticks every second. */
export class SessionsTable {
  readonly el: HTMLElement = h('div', { class: 'table-wrap' });
  private readonly timeCells: { cell: HTMLElement; session: SessionSummary }[] = [];

  constructor(private readonly clock: ServerClock) {}

  render(sessions: SessionSummary[]): void {
    this.timeCells.length = 0;
    if (sessions.length === 0) {
      this.el.replaceChildren(h('p', { class: 'empty' }, 'No sessions yet. Start one for a candidate above.'));
      return;
    }
    const sorted = [...sessions].sort((a, b) => Number(live.has(b.state)) - Number(live.has(a.state)) || b.createdAt.localeCompare(a.createdAt));
    this.el.replaceChildren(
      h(
        'table',
        { class: 'table sessions' },
        h('caption', { class: 'visually-hidden' }, 'Sessions'),
        h('thead', {}, h('tr', {}, ...['Candidate', 'Exam or lab', 'State', 'Time left', 'Score', 'Started', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, ...sorted.map((s) => this.row(s))),
      ),
    );
    this.tick();
  }

  tick(): void {
    for (const { cell, session } of this.timeCells) cell.textContent = this.timeLeft(session);
  }

  private row(s: SessionSummary): HTMLTableRowElement {
    const time = h('td', { class: 'num' });
    this.timeCells.push({ cell: time, session: s });
    const id = encodeURIComponent(s.id);
    const graded = s.scorePercent !== null;
    return h(
      'tr',
      { 'data-session': s.id, class: live.has(s.state) ? 'is-live' : '' },
      h('td', { class: 'strong nowrap' }, s.candidate),
      h('td', {}, h('div', {}, s.title), h('div', { class: 'muted small' }, s.kind, s.mode === 'practice' ? h('span', { class: 'practice-text' }, ' · practice') : ' · exam mode')),
      h('td', {}, stateBadge(s.state)),
      time,
      h('td', { class: 'num' }, graded ? h('span', { class: 'score-cell' }, `${Math.round((s.scorePercent ?? 0) * 10) / 10}%`, s.passed === null ? null : passBadge(s.passed)) : h('span', { class: 'muted' }, '—')),
      h('td', { class: 'muted nowrap' }, formatWhen(s.createdAt)),
      h(
        'td',
        { class: 'actions' },
        h('a', { href: `/admin/sessions/${id}`, 'aria-label': `Details of ${s.candidate}'s session` }, 'Details'),
        graded ? h('a', { href: `/result/${id}`, 'aria-label': `Result of ${s.candidate}` }, 'Result') : null,
      ),
    );
  }

  private timeLeft(s: SessionSummary): string {
    if (s.state !== 'running') return '—';
    const ms = this.clock.remainingMs(s.deadlineAt);
    return ms === null ? '—' : formatShort(ms);
  }
}
