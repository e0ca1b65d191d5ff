import type { DomainResult } from '../../../graders/types.ts';
import { h, svg } from '../dom.ts';

const ROW = 60;
const LABEL_Y = 15;
const BAR_Y = 24;
const BAR_H = 12;
const AXIS_H = 24;

/**
 * Per-domain percentages as horizontal bars on a 0–100 axis, each with a marker at the
 * curriculum's weight for that domain (its share of the whole exam). Horizontal positions are
 * percentages of the chart's width, so text keeps its size at any width.
 */
export function domainChart(domains: DomainResult[], passPercent: number): HTMLElement {
  const height = domains.length * ROW + AXIS_H;
  const pct = (percent: number) => `${Math.max(0, Math.min(100, percent))}%`;
  const chart = svg('svg', { class: 'domain-chart__svg', width: '100%', height, role: 'img', 'aria-labelledby': 'domain-chart-title' });
  chart.append(svg('title', { id: 'domain-chart-title' }, `Bar chart of the domain scores: ${domains.map((d) => `${d.title} ${fmt(d.percent)}% (weight ${d.weight}%)`).join('; ')}`));
  const axisBottom = domains.length * ROW;
  for (const tick of [0, 25, 50, 75, 100]) {
    chart.append(
      svg('line', { class: 'domain-chart__grid', x1: pct(tick), x2: pct(tick), y1: LABEL_Y + 6, y2: axisBottom - 8 }),
      svg('text', { class: 'domain-chart__tick', x: pct(tick), y: axisBottom + 10, 'text-anchor': tick === 0 ? 'start' : tick === 100 ? 'end' : 'middle' }, `${tick}%`),
    );
  }
  domains.forEach((domain, i) => {
    const y = i * ROW;
    const tone = domain.percent >= passPercent ? 'good' : domain.percent >= passPercent / 2 ? 'fair' : 'poor';
    chart.append(
      svg('text', { class: 'domain-chart__label', x: 0, y: y + LABEL_Y }, domain.title),
      svg('text', { class: 'domain-chart__value', x: '100%', y: y + LABEL_Y, 'text-anchor': 'end' }, `${fmt(domain.percent)}% · ${fmt(domain.points)}/${fmt(domain.maxPoints)} pts · weight ${domain.weight}%`),
      svg('rect', { class: 'domain-chart__track', x: 0, y: y + BAR_Y, width: '100%', height: BAR_H, rx: 3 }),
      svg('rect', { class: `domain-chart__bar domain-chart__bar--${tone}`, x: 0, y: y + BAR_Y, width: pct(Math.max(domain.percent, domain.percent > 0 ? 0.5 : 0)), height: BAR_H, rx: 3 }),
      // A nested svg placed at the weight's percentage carries a marker drawn in pixels.
      svg(
        'svg',
        { class: 'domain-chart__weight', x: pct(domain.weight), y: y + BAR_Y - 4, overflow: 'visible' },
        svg('title', {}, `Curriculum weight ${domain.weight}%`),
        svg('line', { x1: 0, x2: 0, y1: 0, y2: BAR_H + 8 }),
        svg('path', { d: `M -5 ${BAR_H + 15} L 5 ${BAR_H + 15} L 0 ${BAR_H + 8} Z` }),
      ),
    );
  });
  return h(
    'figure',
    { class: 'domain-chart' },
    chart,
    h(
      'figcaption',
      { class: 'domain-chart__legend' },
      h('span', { class: 'legend legend--bar' }, 'Your score in the domain'),
      h('span', { class: 'legend legend--weight' }, 'Curriculum weight of the domain'),
    ),
  );
}

/** The same numbers as a table, for reading and for screen readers. */
export function domainTable(domains: DomainResult[]): HTMLTableElement {
  return h(
    'table',
    { class: 'table table--compact domain-table' },
    h('caption', { class: 'visually-hidden' }, 'Points and score per domain'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Domain'), h('th', { scope: 'col', class: 'num' }, 'Weight'), h('th', { scope: 'col', class: 'num' }, 'Points'), h('th', { scope: 'col', class: 'num' }, 'Score'))),
    h(
      'tbody',
      {},
      ...domains.map((d) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, d.title),
          h('td', { class: 'num' }, `${d.weight}%`),
          h('td', { class: 'num' }, `${fmt(d.points)} / ${fmt(d.maxPoints)}`),
          h('td', { class: 'num' }, `${fmt(d.percent)}%`),
        ),
      ),
    ),
  );
}

/** Whole numbers stay whole; others get one decimal. */
export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
