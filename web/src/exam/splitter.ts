import { h } from '../dom.ts';

const STORAGE_KEY = 'kubexam.taskWidth';

/**
 * A draggable divider between the task text and the terminal; the width is a CSS variable on
 * `host` and is remembered for the next visit.
 */
export function splitter(host: HTMLElement, options: { min: number; max: () => number }): HTMLElement {
  const stored = Number(localStorage.getItem(STORAGE_KEY));
  if (stored > 0) host.style.setProperty('--task-width', `${stored}px`);
  const handle = h('div', {
    class: 'splitter',
    role: 'separator',
    'aria-orientation': 'vertical',
    'aria-label': 'Resize task and terminal',
    tabindex: '0',
  });
  const setWidth = (px: number) => {
    const width = Math.round(Math.max(options.min, Math.min(options.max(), px)));
    host.style.setProperty('--task-width', `${width}px`);
    localStorage.setItem(STORAGE_KEY, String(width));
    handle.setAttribute('aria-valuenow', String(width));
  };
  const currentWidth = () => handle.previousElementSibling?.getBoundingClientRect().width ?? options.min;
  handle.addEventListener('pointerdown', (down) => {
    down.preventDefault();
    handle.setPointerCapture(down.pointerId);
    const startX = down.clientX;
    const startWidth = currentWidth();
    document.body.classList.add('is-resizing');
    const move = (event: PointerEvent) => setWidth(startWidth + event.clientX - startX);
    const up = () => {
      document.body.classList.remove('is-resizing');
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      window.dispatchEvent(new Event('resize'));
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  });
  handle.addEventListener('keydown', (event) => {
    const step = event.key === 'ArrowLeft' ? -24 : event.key === 'ArrowRight' ? 24 : 0;
    if (step === 0) return;
    event.preventDefault();
    setWidth(currentWidth() + step);
    window.dispatchEvent(new Event('resize'));
  });
  return handle;
}
