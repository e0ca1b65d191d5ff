import { describeError } from '../api.ts';
import { h } from '../dom.ts';

type SaveState = 'saved' | 'dirty' | 'saving' | 'error';

const labels: Record<SaveState, string> = {
  saved: 'Saved',
  dirty: 'Unsaved changes',
  saving: 'Saving…',
  error: 'Not saved, retrying',
};

/** Free-form notes kept on the server: saved a moment after typing stops, on blur, and on leaving. */
export class NotesPanel {
  readonly el: HTMLElement;
  private readonly textarea: HTMLTextAreaElement;
  private readonly status: HTMLSpanElement;
  private savedText: string;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<void> | undefined;
  private readonly onPageHide = () => this.flushOnLeave();

  constructor(
    initial: string,
    private readonly save: (text: string, keepalive: boolean) => Promise<void>,
    private readonly delayMs = 800,
  ) {
    this.savedText = initial;
    this.textarea = h('textarea', {
      class: 'notes__text',
      id: 'notes-text',
      spellcheck: 'false',
      placeholder: 'Anything you want to keep: names, commands, tasks to come back to…',
    });
    this.textarea.value = initial;
    this.status = h('span', { class: 'notes__status', role: 'status' });
    this.setState('saved');
    this.textarea.addEventListener('input', () => this.schedule());
    this.textarea.addEventListener('blur', () => void this.flush());
    window.addEventListener('pagehide', this.onPageHide);
    this.el = h(
      'section',
      { class: 'notes' },
      h('header', { class: 'notes__header' }, h('h2', { class: 'panel-title', id: 'notes-title' }, h('label', { for: 'notes-text' }, 'Notes')), this.status),
      this.textarea,
    );
  }

  dispose(): void {
    window.removeEventListener('pagehide', this.onPageHide);
    this.flushOnLeave();
  }

  private schedule(): void {
    this.setState(this.textarea.value === this.savedText ? 'saved' : 'dirty');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Saves the current text if it differs from what the server has. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    if (this.inFlight) await this.inFlight;
    const text = this.textarea.value;
    if (text === this.savedText) {
      this.setState('saved');
      return;
    }
    this.setState('saving');
    this.inFlight = this.save(text, false).then(
      () => {
        this.savedText = text;
        this.setState(this.textarea.value === text ? 'saved' : 'dirty');
        if (this.textarea.value !== text) this.schedule();
      },
      (error: unknown) => {
        this.setState('error');
        this.status.title = describeError(error);
        this.timer = setTimeout(() => void this.flush(), 5000);
      },
    );
    await this.inFlight;
    this.inFlight = undefined;
  }

  private flushOnLeave(): void {
    clearTimeout(this.timer);
    if (this.textarea.value !== this.savedText) void this.save(this.textarea.value, true).catch(() => undefined);
  }

  private setState(state: SaveState): void {
    this.status.textContent = labels[state];
    this.status.dataset['state'] = state;
    if (state !== 'error') this.status.title = '';
  }
}
