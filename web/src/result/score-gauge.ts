import { h, svg } from '../dom.ts';

const R = 52;
const C = 2 * Math.PI * R;

/** The overall score as a ring, with a tick at the pass mark. */
export function scoreGauge(scorePercent: number, passPercent: number, passed: boolean): HTMLElement {
  const fraction = Math.max(0, Math.min(100, scorePercent)) / 100;
  const angle = (passPercent / 100) * 2 * Math.PI - Math.PI / 2;
  const tick = (r: number) => [60 + r * Math.cos(angle), 60 + r * Math.sin(angle)] as const;
  const [x1, y1] = tick(R - 11);
  const [x2, y2] = tick(R + 11);
  const ring = svg(
    'svg',
    { class: 'gauge__svg', viewBox: '0 0 120 120', 'aria-hidden': 'true' },
    svg('circle', { class: 'gauge__track', cx: 60, cy: 60, r: R }),
    svg('circle', {
      class: `gauge__value ${passed ? 'gauge__value--pass' : 'gauge__value--fail'}`,
      cx: 60,
      cy: 60,
      r: R,
      'stroke-dasharray': `${C * fraction} ${C}`,
      transform: 'rotate(-90 60 60)',
    }),
    svg('line', { class: 'gauge__pass', x1, y1, x2, y2 }),
  );
  return h(
    'div',
    { class: 'gauge' },
    ring,
    h('div', { class: 'gauge__label' }, h('span', { class: 'gauge__percent' }, `${Math.round(scorePercent * 10) / 10}%`), h('span', { class: 'gauge__caption' }, 'score')),
  );
}
