import '../styles/admin.css';
import type { RecordingSummary, SessionView } from '../../../server/http/contract.ts';
import { signOutButton, withInstructor } from '../admin/instructor.ts';
import { RecordingPlayer } from '../admin/recording-player.ts';
import { describeError } from '../api.ts';
import { ServerClock, formatDateTime, formatShort } from '../clock.ts';
import { messageCard, pageShell } from '../components/page-shell.ts';
import { passBadge, stateBadge } from '../components/state-badge.ts';
import { h } from '../dom.ts';
import type { Page } from '../router.ts';

const REFRESH_MS = 5000;
const finished = new Set(['graded', 'closed', 'failed']);

/** `/admin/sessions/:id`: one session's state, tasks, notes, result link and terminal replays. */
export const adminSessionPage: Page = (outlet, params) => {
  const sessionId = params['id'] ?? '';
  const signOut = signOutButton();
  const main = pageShell(outlet, { title: 'Session', nav: [h('a', { href: '/admin' }, '← Admin'), signOut] });
  return withInstructor(main, signOut, (api, unauthorized) => {
    const clock = new ServerClock();
    const player = new RecordingPlayer(api);
    const overview = h('div', {}, h('p', { class: 'loading', role: 'status' }, 'Loading the session…'));
    const recordings = h('div', { class: 'table-wrap' });
    main.append(
      overview,
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'recordings-title' },
        h('h2', { id: 'recordings-title', class: 'card__title' }, 'Terminal recordings'),
        recordings,
        player.el,
      ),
    );
    let disposed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let recordingKey = '';

    const load = async () => {
      try {
        const sentAt = Date.now();
        const [view, recs] = await Promise.all([api.getSession(sessionId), api.listRecordings(sessionId)]);
        if (disposed) return;
        clock.sample(view.serverNow, sentAt);
        document.title = `${view.candidate}: ${view.title} · kubexam`;
        overview.replaceChildren(renderOverview(view, clock));
        const key = recs.map((r) => `${r.id}:${r.bytes}`).join(',');
        if (key !== recordingKey) {
          recordingKey = key;
          recordings.replaceChildren(recordingsTable(recs, (r) => void player.play(r.id, `${r.terminal} · ${formatDateTime(r.startedAt)}`)));
        }
        if (!finished.has(view.state)) timer = setTimeout(() => void load(), REFRESH_MS);
      } catch (error) {
        if (disposed || unauthorized(error)) return;
        overview.replaceChildren(messageCard({ tone: 'error', title: 'The session cannot be loaded', body: [describeError(error)] }));
      }
    };
    void load();
    return () => {
      disposed = true;
      clearTimeout(timer);
      player.dispose();
    };
  });
};

function renderOverview(view: SessionView, clock: ServerClock): HTMLElement {
  const id = encodeURIComponent(view.id);
  const remaining = view.state === 'running' ? clock.remainingMs(view.deadlineAt) : null;
  const graded = view.scorePercent !== null;
  return h(
    'div',
    { class: 'session-detail' },
    h(
      'section',
      { class: 'card session-detail__head', 'aria-labelledby': 'session-title' },
      h(
        'div',
        {},
        h('p', { class: 'eyebrow' }, `${view.kind} · ${view.curriculum.title}`),
        h('h1', { id: 'session-title', class: 'result__title' }, view.candidate),
        h('p', { class: 'muted' }, view.title, ' ', view.mode === 'practice' ? h('span', { class: 'badge badge--practice' }, 'Practice') : null),
      ),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'State'),
        h('dd', {}, stateBadge(view.state)),
        h('dt', {}, 'Created'),
        h('dd', {}, formatDateTime(view.createdAt)),
        h('dt', {}, 'Deadline'),
        h('dd', {}, view.deadlineAt ? formatDateTime(view.deadlineAt) : `${view.durationMinutes} min once started`),
        h('dt', {}, 'Time left'),
        h('dd', {}, remaining === null ? '—' : formatShort(remaining)),
        h('dt', {}, 'Score'),
        h('dd', {}, graded ? h('span', { class: 'score-cell' }, `${view.scorePercent}%`, view.passed === null ? null : passBadge(view.passed)) : '—'),
      ),
      h('div', { class: 'session-detail__actions' }, graded ? h('a', { class: 'button button--primary', href: `/result/${id}` }, 'View result') : null),
    ),
    view.error ? h('div', { class: 'banner banner--error', role: 'alert' }, h('span', { class: 'banner__icon', 'aria-hidden': 'true' }, '⚠'), h('pre', { class: 'banner__text error-detail' }, view.error)) : null,
    h(
      'div',
      { class: 'admin-grid admin-grid--even' },
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'tasks-title' },
        h('h2', { id: 'tasks-title', class: 'card__title' }, 'Tasks'),
        h(
          'table',
          { class: 'table table--compact' },
          h('thead', {}, h('tr', {}, ...['#', 'Task', 'Domain', 'Points', 'Flag'].map((t) => h('th', { scope: 'col' }, t)))),
          h(
            'tbody',
            {},
            ...view.tasks.map((t, i) =>
              h('tr', {}, h('td', { class: 'num' }, String(i + 1)), h('td', {}, t.title), h('td', {}, t.domainTitle), h('td', { class: 'num' }, String(t.points)), h('td', {}, t.flagged ? h('span', { class: 'flag-mark' }, '⚑ flagged') : '')),
            ),
          ),
        ),
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'notes-title' },
        h('h2', { id: 'notes-title', class: 'card__title' }, 'Candidate notes'),
        view.notes ? h('pre', { class: 'notes-readonly' }, view.notes) : h('p', { class: 'muted' }, 'No notes.'),
      ),
    ),
  );
}

function recordingsTable(recordings: RecordingSummary[], play: (r: RecordingSummary) => void): HTMLElement {
  if (recordings.length === 0) return h('p', { class: 'empty' }, 'No terminal was opened in this session yet.');
  return h(
    'table',
    { class: 'table table--compact' },
    h('thead', {}, h('tr', {}, ...['Terminal', 'Started', 'Size', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h(
      'tbody',
      {},
      ...recordings.map((r) => {
        const button = h('button', { type: 'button', class: 'button button--small', 'aria-label': `Replay ${r.terminal} from ${formatDateTime(r.startedAt)}` }, '▶ Replay');
        button.addEventListener('click', () => play(r));
        return h('tr', {}, h('td', {}, h('code', {}, r.terminal)), h('td', {}, formatDateTime(r.startedAt)), h('td', { class: 'num' }, formatBytes(r.bytes)), h('td', { class: 'actions' }, button));
      }),
    ),
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
