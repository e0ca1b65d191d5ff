import '../styles/admin.css';
import type { ExamSummary, LabSummary } from '../../../server/http/contract.ts';
import { catalogCounts, examsTable, labsTable } from '../admin/catalog-tables.ts';
import { SessionsTable } from '../admin/sessions-table.ts';
import { startSessionForm } from '../admin/start-session-form.ts';
import { signOutButton, withInstructor } from '../admin/instructor.ts';
import { describeError } from '../api.ts';
import { ServerClock } from '../clock.ts';
import { messageCard, pageShell } from '../components/page-shell.ts';
import { h } from '../dom.ts';
import type { Page } from '../router.ts';

const REFRESH_MS = 3000;

/** `/admin`: start sessions, watch them, and see the labs and exams with their validation state. */
export const adminPage: Page = (outlet) => {
  const signOut = signOutButton();
  const main = pageShell(outlet, { title: 'Admin', wide: true, nav: [h('a', { href: '/admin', 'aria-current': 'page' }, 'Admin'), signOut] });
  return withInstructor(main, signOut, (api, unauthorized) => {
    const clock = new ServerClock();
    const sessions = new SessionsTable(clock);
    const sessionsStatus = h('span', { class: 'muted refresh-status', role: 'status' });
    const startCard = h('section', { class: 'card' }, h('p', { class: 'loading' }, 'Loading the library…'));
    const examsCard = h('section', { class: 'card', 'aria-labelledby': 'exams-title' }, h('h2', { id: 'exams-title', class: 'card__title' }, 'Exams'));
    const labsCard = h('section', { class: 'card', 'aria-labelledby': 'labs-title' }, h('h2', { id: 'labs-title', class: 'card__title' }, 'Labs'));
    main.append(
      startCard,
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'sessions-title' },
        h('div', { class: 'card__header' }, h('h2', { id: 'sessions-title', class: 'card__title' }, 'Sessions'), sessionsStatus),
        sessions.el,
      ),
      examsCard,
      labsCard,
    );

    let disposed = false;
    let refreshTimer: ReturnType<typeof setTimeout> | undefined;
    const refreshSessions = async () => {
      try {
        const { sessions: list, clock: sample } = await api.listSessions();
        if (disposed) return;
        clock.setOffset(sample.offsetMs);
        sessions.render(list);
        sessionsStatus.textContent = `Updated ${new Date().toLocaleTimeString()}`;
      } catch (error) {
        if (unauthorized(error)) return;
        sessionsStatus.textContent = `Not updated: ${describeError(error)}`;
      }
      if (!disposed) refreshTimer = setTimeout(() => void refreshSessions(), REFRESH_MS);
    };
    const ticker = setInterval(() => sessions.tick(), 1000);

    void Promise.all([api.listExams(), api.listLabs()]).then(
      ([exams, labs]: [ExamSummary[], LabSummary[]]) => {
        if (disposed) return;
        startCard.replaceChildren(startSessionForm({ exams, labs }, (request) => api.createSession(request).finally(() => void refreshSessions())));
        examsCard.append(catalogCounts(exams), examsTable(exams));
        labsCard.append(catalogCounts(labs), labsTable(labs));
      },
      (error: unknown) => {
        if (unauthorized(error)) return;
        startCard.replaceChildren(messageCard({ tone: 'error', title: 'The library cannot be loaded', body: [describeError(error)] }));
      },
    );
    void refreshSessions();

    return () => {
      disposed = true;
      clearTimeout(refreshTimer);
      clearInterval(ticker);
    };
  });
};
