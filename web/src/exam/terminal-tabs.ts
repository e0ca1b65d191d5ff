import { h } from '../dom.ts';
import { mountTerminal, type MountedTerminal, type TerminalStatus } from '../terminal/client.ts';

interface Tab {
  name: string;
  tab: HTMLButtonElement;
  panel: HTMLDivElement;
  overlay: HTMLDivElement;
  terminal: MountedTerminal | undefined;
}

const statusText: Record<TerminalStatus, string> = {
  connecting: 'Connecting…',
  open: '',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected: press Enter in the terminal to reconnect',
};

/** What a tab opens: the workstation, or a node (as `ssh node01` would in the exam). */
function describe(name: string): string {
  return name === 'shell' ? 'Your workstation: kubectl on your cluster' : `Root shell on node ${name}`;
}

/**
 * One tab per terminal the session offers (`shell`, and a root shell per node on kind). A
 * terminal is mounted the first time its tab is shown and kept alive behind the others.
 */
export class TerminalTabs {
  readonly el: HTMLElement;
  private readonly tabs: Tab[];
  private active = -1;

  constructor(
    names: string[],
    private readonly connect: (terminal: string) => Promise<string>,
  ) {
    const tablist = h('div', { class: 'terms__tabs', role: 'tablist', 'aria-label': 'Terminals' });
    const panels = h('div', { class: 'terms__panels' });
    this.tabs = names.map((name, i) => {
      const tab = h(
        'button',
        { type: 'button', role: 'tab', id: `term-tab-${i}`, 'aria-controls': `term-panel-${i}`, 'aria-selected': 'false', tabindex: '-1', class: 'terms__tab', title: describe(name) },
        h('span', { class: 'terms__dot', 'aria-hidden': 'true' }),
        name,
      );
      const overlay = h('div', { class: 'terms__overlay', hidden: true });
      const panel = h('div', { class: 'terms__panel', role: 'tabpanel', id: `term-panel-${i}`, 'aria-labelledby': `term-tab-${i}` }, overlay);
      tab.addEventListener('click', () => this.select(i));
      tab.addEventListener('keydown', (event) => this.onKey(event, i));
      tablist.append(tab);
      panels.append(panel);
      return { name, tab, panel, overlay, terminal: undefined };
    });
    this.el = h('section', { class: 'terms', 'aria-label': 'Terminal' }, tablist, panels);
    if (names.length === 0) panels.append(h('p', { class: 'terms__empty' }, 'This session has no terminal.'));
  }

  /** Mounts the first terminal; call once the element is in the document and has its size. */
  start(): void {
    if (this.tabs.length > 0) this.select(0);
  }

  select(index: number): void {
    const target = this.tabs[index];
    if (!target) return;
    this.active = index;
    this.tabs.forEach((t, i) => {
      const on = i === index;
      t.tab.setAttribute('aria-selected', String(on));
      t.tab.tabIndex = on ? 0 : -1;
      t.panel.classList.toggle('is-active', on);
    });
    if (!target.terminal) this.mount(target);
    target.terminal?.focus();
  }

  focus(): void {
    this.tabs[this.active]?.terminal?.focus();
  }

  dispose(): void {
    for (const t of this.tabs) t.terminal?.dispose();
  }

  private mount(t: Tab): void {
    const host = h('div', { class: 'terms__xterm' });
    t.panel.prepend(host);
    t.terminal = mountTerminal(host, {
      connect: () => this.connect(t.name),
      onStatus: (status) => this.setStatus(t, status),
    });
  }

  private setStatus(t: Tab, status: TerminalStatus): void {
    t.tab.dataset['status'] = status;
    t.overlay.hidden = status === 'open';
    t.overlay.dataset['status'] = status;
    t.overlay.textContent = statusText[status];
  }

  private onKey(event: KeyboardEvent, index: number): void {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (delta === 0) return;
    event.preventDefault();
    const next = (index + delta + this.tabs.length) % this.tabs.length;
    this.select(next);
    this.tabs[next]?.tab.focus();
  }
}
