import type { SessionView, TaskView } from '../../../server/http/contract.ts';
import { describeError, type Api } from '../api.ts';
import { formatShort, type ServerClock } from '../clock.ts';
import { h } from '../dom.ts';
import { AlertBanners } from './alerts.ts';
import { NotesPanel } from './notes-panel.ts';
import type { Screen } from './screen.ts';
import { splitter } from './splitter.ts';
import { confirmSubmit } from './submit-dialog.ts';
import { TaskList } from './task-list.ts';
import { TaskPanel } from './task-panel.ts';
import { TerminalTabs } from './terminal-tabs.ts';
import { TopBar } from './top-bar.ts';

export interface WorkspaceDeps {
  api: Api;
  clock: ServerClock;
  /** The server answered a submit: show what comes next. */
  onSubmitted: (view: SessionView) => void;
  /** The countdown reached zero: the server submits; the page should look again soon. */
  onTimeUp: () => void;
  /** The terminal WebSocket URL for a terminal name (ticket included). */
  connect: (terminal: string) => Promise<string>;
}

/** The running exam: top bar, tasks, task text, notes and terminals. */
export function workspace(initial: SessionView, deps: WorkspaceDeps): Screen {
  let view = initial;
  const tasks: TaskView[] = initial.tasks.map((t) => ({ ...t }));
  const selectedKey = `kubexam.task.${initial.id}`;
  const topBar = new TopBar(initial);
  const alerts = new AlertBanners(initial.durationMinutes);
  const notes = new NotesPanel(initial.notes, (text, keepalive) => deps.api.putNotes(initial.id, text, keepalive));
  const terminals = new TerminalTabs(initial.terminals, deps.connect);
  let selected = 0;

  const select = (position: number) => {
    const task = tasks[position];
    if (!task) return;
    selected = position;
    sessionStorage.setItem(selectedKey, task.labId);
    list.select(position);
    panel.show(task, position);
  };

  const setFlag = (task: TaskView, flagged: boolean) => {
    const position = tasks.indexOf(task);
    task.flagged = flagged;
    list.refresh(position);
    if (position === selected) panel.setFlagged(flagged);
    deps.api.putFlag(initial.id, task.labId, flagged).catch((error: unknown) => {
      task.flagged = !flagged;
      list.refresh(position);
      if (position === selected) panel.setFlagged(!flagged);
      alerts.error(`The flag was not saved: ${describeError(error)}`);
    });
  };

  const list = new TaskList(tasks, select);
  const panel = new TaskPanel({ mode: initial.mode, count: tasks.length, onFlag: setFlag, onMove: (delta) => select(selected + delta) });

  const body = h('div', { class: 'workspace__body' });
  const taskColumn = h('div', { class: 'workspace__task' }, panel.el, notes.el);
  body.append(list.el, taskColumn, splitter(body, { min: 320, max: () => body.clientWidth - list.el.clientWidth - 360 }), terminals.el);
  const el = h('div', { class: 'workspace' }, topBar.el, alerts.el, body);

  topBar.submitButton.addEventListener('click', () => void submit());
  const submit = async () => {
    const remaining = deps.clock.remainingMs(view.deadlineAt);
    const ok = await confirmSubmit({ flagged: tasks.filter((t) => t.flagged).length, remaining: remaining === null ? null : formatShort(remaining) });
    if (!ok) {
      terminals.focus();
      return;
    }
    topBar.submitButton.disabled = true;
    topBar.submitButton.textContent = 'Submitting…';
    try {
      await notes.flush();
      deps.onSubmitted(await deps.api.submitSession(initial.id));
    } catch (error) {
      topBar.submitButton.disabled = false;
      topBar.submitButton.textContent = 'Submit exam';
      alerts.error(`The exam was not submitted: ${describeError(error)}`);
    }
  };

  let timeUp = false;
  const tick = () => {
    const remaining = deps.clock.remainingMs(view.deadlineAt);
    topBar.setRemaining(remaining);
    alerts.tick(remaining);
    if (remaining === 0 && !timeUp) {
      timeUp = true;
      alerts.info('Time is up. Your exam is being submitted and graded.');
      deps.onTimeUp();
    }
  };
  tick();
  const timer = setInterval(tick, 250);

  const remembered = sessionStorage.getItem(selectedKey);
  select(Math.max(0, tasks.findIndex((t) => t.labId === remembered)));
  // The terminal measures its container, so it mounts once the workspace is on screen.
  requestAnimationFrame(() => terminals.start());

  return {
    kind: 'running',
    el,
    update(next) {
      view = next;
      tick();
    },
    alert: (minutesLeft) => alerts.timeAlert(minutesLeft),
    connection: (up) => topBar.setConnected(up),
    dispose() {
      clearInterval(timer);
      notes.dispose();
      terminals.dispose();
    },
  };
}
