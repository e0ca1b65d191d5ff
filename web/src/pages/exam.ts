import '../styles/exam.css';
import type { SessionView } from '../../../server/http/contract.ts';
import { Api, ApiRequestError, describeError } from '../api.ts';
import { adoptTokenFromFragment, candidateToken } from '../auth.ts';
import { ServerClock } from '../clock.ts';
import { messageCard } from '../components/page-shell.ts';
import { ProgressLog } from '../components/progress-log.ts';
import { h } from '../dom.ts';
import { provisioningScreen } from '../exam/provisioning-screen.ts';
import { readyScreen } from '../exam/ready-screen.ts';
import { screenKind, type Screen, type ScreenKind } from '../exam/screen.ts';
import { waitingScreen } from '../exam/waiting-screen.ts';
import { workspace } from '../exam/workspace.ts';
import { navigate, type Page } from '../router.ts';

/** How often the page re-reads the session besides the event stream, per screen. */
const pollMs: Record<ScreenKind, number> = {
  provisioning: 5000,
  ready: 15_000,
  running: 30_000,
  waiting: 3000,
  closed: 60_000,
  failed: 60_000,
};

/**
 * `/exam/:sessionId`: the candidate's page. It follows the session's state from the event
 * stream (and a slower poll as a safety net) and shows one screen per state.
 */
export const examPage: Page = (outlet, params) => {
  const sessionId = params['sessionId'] ?? '';
  adoptTokenFromFragment(sessionId);
  document.title = 'Exam · kubexam';
  const root = h('div', { class: 'exam' });
  outlet.append(root);

  const token = candidateToken(sessionId);
  if (!token) {
    showMessage(root, messageCard({
      tone: 'error',
      title: 'This exam link is incomplete',
      body: ['Open the full link your instructor sent you: it carries your access token after the # sign. If you opened it before in another tab, use that tab.'],
    }));
    return;
  }

  const api = new Api(token);
  const clock = new ServerClock();
  const abort = new AbortController();
  let log = new ProgressLog();
  let screen: Screen | undefined;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let loading: Promise<void> | undefined;
  let streamUp = true;
  let timeUp = false;

  const show = (view: SessionView) => {
    document.title = `${view.title} · kubexam`;
    const kind = screenKind(view);
    if (kind === 'graded') {
      navigate(`/result/${encodeURIComponent(sessionId)}`, { replace: true });
      return;
    }
    if (screen?.kind === kind) {
      screen.update(view);
    } else {
      screen?.dispose();
      if (kind === 'waiting') log = new ProgressLog((event) => event.scope === 'grade');
      screen = createScreen(kind, view);
      showMessage(root, screen.el);
      screen.connection?.(streamUp);
    }
    schedulePoll(kind);
  };

  const createScreen = (kind: ScreenKind, view: SessionView): Screen => {
    switch (kind) {
      case 'provisioning':
        return provisioningScreen(view, log);
      case 'ready':
        return readyScreen(view, log, async () => show(await api.startSession(sessionId)));
      case 'running':
        return workspace(view, {
          api,
          clock,
          onSubmitted: show,
          onTimeUp: () => {
            // The server submits at the deadline; look again soon and often until it has.
            timeUp = true;
            schedulePoll('running');
          },
          connect: async (terminal) => {
            const ticket = await api.terminalTicket(sessionId, terminal);
            return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${ticket.url}`;
          },
        });
      case 'waiting':
        return waitingScreen(view, log);
      case 'closed':
        return staticScreen(kind, messageCard({ title: 'This session is closed', body: [`${view.title} for ${view.candidate} has ended without a result.`] }));
      case 'failed':
        log.finish('fail');
        return staticScreen(
          kind,
          messageCard({
            tone: 'error',
            title: 'The exam environment could not be prepared',
            body: [
              h('pre', { class: 'error-detail' }, view.error ?? 'Unknown error'),
              'Ask your instructor to start a new session for you.',
              log.isEmpty ? '' : h('details', { class: 'stage__log' }, h('summary', {}, 'Setup log'), log.el),
            ],
          }),
        );
    }
  };

  const refresh = (): Promise<void> => {
    loading ??= (async () => {
      const sentAt = Date.now();
      try {
        const view = await api.getSession(sessionId);
        clock.sample(view.serverNow, sentAt);
        show(view);
      } catch (error) {
        // A passing outage keeps the current screen; a refusal or a missing session does not.
        const transient = !(error instanceof ApiRequestError) || error.status === 0 || error.status >= 500;
        if (!screen || !transient) showError(error);
        else schedulePoll(screen.kind);
      } finally {
        loading = undefined;
      }
    })();
    return loading;
  };

  const schedulePoll = (kind: ScreenKind) => {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(() => void refresh(), kind === 'running' && timeUp ? 2000 : pollMs[kind]);
  };

  const showError = (error: unknown) => {
    screen?.dispose();
    screen = undefined;
    const denied = error instanceof ApiRequestError && (error.status === 401 || error.status === 403);
    showMessage(root, messageCard({
      tone: 'error',
      title: denied ? 'This link does not open this exam' : 'The exam cannot be loaded',
      body: [describeError(error)],
      actions: [retryButton(() => void refresh())],
    }));
  };

  api.streamEvents(
    sessionId,
    {
      onOpen: () => {
        streamUp = true;
        screen?.connection?.(true);
        void refresh();
      },
      onDown: () => {
        streamUp = false;
        screen?.connection?.(false);
      },
      onFatal: showError,
      onEvent: (event) => {
        if (event.type === 'progress') log.add(event.data);
        else if (event.type === 'alert') screen?.alert?.(event.data.minutesLeft);
        else void refresh();
      },
    },
    abort.signal,
  );
  showMessage(root, h('div', { class: 'stage' }, h('p', { class: 'stage__loading', role: 'status' }, 'Loading your exam…')));
  void refresh();

  return () => {
    abort.abort();
    clearTimeout(pollTimer);
    screen?.dispose();
  };
};

function staticScreen(kind: ScreenKind, card: HTMLElement): Screen {
  return { kind, el: h('div', { class: 'stage' }, card), update() {}, dispose() {} };
}

function showMessage(root: HTMLElement, el: HTMLElement): void {
  if (el.classList.contains('message-card')) root.replaceChildren(h('div', { class: 'stage' }, el));
  else root.replaceChildren(el);
}

function retryButton(onClick: () => void): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'button' }, 'Try again');
  button.addEventListener('click', onClick);
  return button;
}
