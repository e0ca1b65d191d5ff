import { svg } from '../dom.ts';

/** The kubexam mark: a heptagon with a seven-spoke wheel, drawn inline so it renders the same everywhere. */
export function brandMark(): SVGElement {
  const corners = Array.from({ length: 7 }, (_, i) => {
    const a = (i / 7) * 2 * Math.PI - Math.PI / 2;
    return `${(16 + 15 * Math.cos(a)).toFixed(2)},${(16 + 15 * Math.sin(a)).toFixed(2)}`;
  });
  const spokes = Array.from({ length: 7 }, (_, i) => {
    const a = (i / 7) * 2 * Math.PI - Math.PI / 2;
    return `M ${(16 + 3 * Math.cos(a)).toFixed(2)} ${(16 + 3 * Math.sin(a)).toFixed(2)} L ${(16 + 9.5 * Math.cos(a)).toFixed(2)} ${(16 + 9.5 * Math.sin(a)).toFixed(2)}`;
  });
  return svg(
    'svg',
    { class: 'brand__mark', viewBox: '0 0 32 32', 'aria-hidden': 'true' },
    svg('polygon', { points: corners.join(' '), fill: '#1f6feb', stroke: '#388bfd', 'stroke-width': 1, 'stroke-linejoin': 'round' }),
    svg('circle', { cx: 16, cy: 16, r: 7.5, fill: 'none', stroke: '#fff', 'stroke-width': 2 }),
    svg('path', { d: spokes.join(' '), stroke: '#fff', 'stroke-width': 1.8, 'stroke-linecap': 'round' }),
  );
}
