import type { ExamSummary, LabSummary } from '../../../server/http/contract.ts';
import { h } from '../dom.ts';

/** Exams with their duration, pass mark, domain mix and validation state. */
export function examsTable(exams: ExamSummary[]): HTMLElement {
  if (exams.length === 0) return h('p', { class: 'empty' }, 'No exams in the library. Exams are YAML files under labs/exams/.');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table' },
      h('caption', { class: 'visually-hidden' }, 'Exams'),
      h(
        'thead',
        {},
        h('tr', {}, ...['Exam', 'Curriculum', 'Duration', 'Pass mark', 'Tasks', 'Domain mix', 'Validation'].map((t) => h('th', { scope: 'col' }, t))),
      ),
      h(
        'tbody',
        {},
        ...exams.map((exam) =>
          h(
            'tr',
            {},
            h('td', {}, h('div', { class: 'strong' }, exam.title), h('code', { class: 'muted' }, exam.id)),
            h('td', {}, exam.curriculum.toUpperCase()),
            h('td', { class: 'num' }, `${exam.durationMinutes} min`),
            h('td', { class: 'num' }, `${exam.passPercent}%`),
            h('td', { class: 'num' }, String(exam.tasks.length)),
            h('td', {}, domainMix(exam)),
            h('td', {}, validation(exam.problems)),
          ),
        ),
      ),
    ),
  );
}

/** Labs with their curriculum, domain, points, required capabilities and validation state. */
export function labsTable(labs: LabSummary[]): HTMLElement {
  if (labs.length === 0) return h('p', { class: 'empty' }, 'No labs in the library.');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table' },
      h('caption', { class: 'visually-hidden' }, 'Labs'),
      h('thead', {}, h('tr', {}, ...['Lab', 'Curriculum', 'Domain', 'Points', 'Minutes', 'Requires', 'Validation'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        ...labs.map((lab) =>
          h(
            'tr',
            {},
            h('td', {}, h('div', { class: 'strong' }, lab.title), h('code', { class: 'muted' }, lab.id)),
            h('td', {}, lab.curriculum.toUpperCase()),
            h('td', {}, lab.domain),
            h('td', { class: 'num' }, String(lab.points)),
            h('td', { class: 'num' }, String(lab.minutes)),
            h('td', {}, lab.requires.length ? lab.requires.map((r) => h('span', { class: 'chip' }, r)) : h('span', { class: 'muted' }, '—')),
            h('td', {}, validation(lab.problems)),
          ),
        ),
      ),
    ),
  );
}

function validation(problems: string[]): HTMLElement {
  if (problems.length === 0) return h('span', { class: 'status status--pass' }, h('span', { 'aria-hidden': 'true' }, '✓'), ' Valid');
  return h(
    'details',
    { class: 'problems' },
    h('summary', { class: 'status status--fail' }, h('span', { 'aria-hidden': 'true' }, '✗'), ` ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}`),
    h('ul', {}, ...problems.map((p) => h('li', {}, h('code', {}, p)))),
  );
}

const palette = 6;

/** A stacked bar of each domain's share of the exam's points, with the weights beside them. */
function domainMix(exam: ExamSummary): HTMLElement {
  const bar = h(
    'div',
    { class: 'mix', role: 'img', 'aria-label': exam.mix.map((d) => `${d.title} ${d.share.toFixed(0)}% (weight ${d.weight}%)`).join(', ') },
    ...exam.mix.map((d, i) => h('span', { class: `mix__seg mix__seg--${i % palette}`, style: `width:${d.share}%`, title: `${d.title}: ${d.points} pts, ${d.share.toFixed(1)}% (weight ${d.weight}%)` })),
  );
  return h(
    'div',
    { class: 'mix-cell' },
    bar,
    h(
      'details',
      { class: 'mix__details' },
      h('summary', {}, `${exam.mix.length} domains`),
      h(
        'ul',
        { class: 'mix__list' },
        ...exam.mix.map((d, i) => {
          const delta = d.share - d.weight;
          return h(
            'li',
            {},
            h('span', { class: `mix__swatch mix__seg--${i % palette}`, 'aria-hidden': 'true' }),
            h('span', { class: 'mix__title' }, d.title),
            h('span', { class: 'num' }, `${d.points} pts · ${d.share.toFixed(1)}%`),
            h('span', { class: `num ${Math.abs(delta) >= 5 ? 'warn' : 'muted'}` }, `weight ${d.weight}%`),
          );
        }),
      ),
    ),
  );
}

/** `12 labs, 2 with problems` above a table. */
export function catalogCounts(items: { problems: string[] }[]): HTMLElement {
  const invalid = items.filter((i) => i.problems.length > 0).length;
  return h('p', { class: 'muted catalog-counts' }, `${items.length} in the library`, invalid ? h('span', { class: 'warn' }, ` · ${invalid} with problems`) : ' · all valid');
}
