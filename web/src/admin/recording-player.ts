import type { Player } from 'asciinema-player';
import type { Api } from '../api.ts';
import { describeError } from '../api.ts';
import { h } from '../dom.ts';

/**
 * Replays one terminal recording. The asciicast needs the instructor's Authorization header,
 * so it is fetched here and handed to the player as data (a blob: URL would need `blob:` in the
 * page's connect-src).
 */
export class RecordingPlayer {
  readonly el: HTMLElement = h('div', { class: 'player', 'aria-live': 'polite' });
  private player: Player | undefined;
  private loading = 0;

  constructor(private readonly api: Api) {}

  async play(recordingId: string, title: string): Promise<void> {
    const ticket = ++this.loading;
    this.reset();
    this.el.replaceChildren(h('p', { class: 'loading', role: 'status' }, `Loading ${title}…`));
    try {
      // The player (and its WebAssembly terminal) loads on the first replay only.
      const [cast, AsciinemaPlayer] = await Promise.all([this.api.recordingText(recordingId), loadPlayer(), assertWasmAllowed()]);
      if (ticket !== this.loading) return;
      const stage = h('div', { class: 'player__stage' });
      this.el.replaceChildren(h('h3', { class: 'player__title' }, title), stage);
      this.player = AsciinemaPlayer.create({ data: cast, parser: 'asciicast' }, stage, {
        fit: 'width',
        idleTimeLimit: 2,
        autoPlay: true,
        theme: 'asciinema',
        terminalFontFamily: 'ui-monospace, "JetBrains Mono", "Cascadia Mono", Menlo, Consolas, monospace',
      });
    } catch (error) {
      if (ticket !== this.loading) return;
      this.el.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, `The recording cannot be played: ${describeError(error)}`));
    }
  }

  dispose(): void {
    this.loading++;
    this.reset();
  }

  private reset(): void {
    this.player?.dispose();
    this.player = undefined;
  }
}

async function loadPlayer(): Promise<typeof import('asciinema-player')> {
  const [player] = await Promise.all([import('asciinema-player'), import('asciinema-player/dist/bundle/asciinema-player.css')]);
  return player;
}

/**
 * The player's terminal is WebAssembly; a Content-Security-Policy without 'wasm-unsafe-eval'
 * makes it fail silently inside the player, so ask first with the smallest valid module.
 */
async function assertWasmAllowed(): Promise<void> {
  try {
    await WebAssembly.compile(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
  } catch (cause) {
    throw new Error("this page may not run WebAssembly (its Content-Security-Policy needs 'wasm-unsafe-eval' in script-src)", { cause });
  }
}
