import { parseAllDocuments } from 'yaml';
import { primitives } from '../../graders/checks/index.ts';
import { faults } from '../clusters/faults/catalog.ts';
import { describeError } from '../errors.ts';
import type { LabIssue } from './issues.ts';
import type { Library } from './library.ts';
import type { LoadedExam, LoadedLab } from './load.ts';
import { isInlineManifest, resolveInLab } from './paths.ts';
import type { Lab, ParamSpec, Step } from './schema.ts';
import { findTemplateRefs, render, type ParamValues } from './template.ts';

/**
 * Checks a lab beyond its schema: names it uses exist (checks, faults, curriculum, domain),
 * `requires` is acyclic and points backwards, points add up, files stay inside the lab
 * folder, templates name declared params, and check/fault arguments are well formed for a
 * sample of the params.
 */
export async function validateLab(loaded: LoadedLab, library: Library): Promise<LabIssue[]> {
  const { value: lab, source } = loaded;
  const issues: LabIssue[] = [];
  const at = (path: (string | number)[], message: string) => issues.push(source.issueAt(path, message));

  const curriculum = library.curricula.get(lab.metadata.curriculum)?.value;
  if (!curriculum) {
    at(['metadata', 'curriculum'], `unknown curriculum "${lab.metadata.curriculum}"; known: ${[...library.curricula.keys()].join(', ')}`);
  } else if (!curriculum.domains.some((d) => d.id === lab.metadata.domain)) {
    at(['metadata', 'domain'], `"${lab.metadata.domain}" is not a domain of ${curriculum.metadata.id}; its domains: ${curriculum.domains.map((d) => d.id).join(', ')}`);
  }

  const total = lab.checks.reduce((sum, c) => sum + c.points, 0);
  if (total !== lab.metadata.points) {
    at(['metadata', 'points'], `is ${lab.metadata.points} but the checks' points add up to ${total}; make them equal`);
  }

  for (const ref of findTemplateRefs({ ...lab, params: {} })) {
    if (ref.invalid) at(ref.path, `"{{ ${ref.name} }}" is not a param name; templates may only name declared params`);
    else if (!Object.hasOwn(lab.params, ref.name)) at(ref.path, `"{{ ${ref.name} }}" names no declared param; declare it under params`);
  }

  validateRequires(lab, at);
  const sample = sampleParams(lab.params);
  for (const [i, check] of lab.checks.entries()) {
    if (check.check !== undefined) {
      const primitive = primitives.get(check.check);
      if (!primitive) {
        at(['checks', i, 'check'], `unknown check "${check.check}"${suggest(check.check, [...primitives.keys()])}`);
        continue;
      }
      argumentIssues(primitive.args, safeRender(check.with, sample), ['checks', i, 'with'], at);
      const missing = (primitive.requires ?? []).filter((c) => !lab.cluster.requires.includes(c));
      if (missing.length > 0) {
        at(['checks', i, 'check'], `${check.check} needs ${missing.join(', ')}; add ${missing.length > 1 ? 'them' : 'it'} to cluster.requires, so the lab runs only where ${missing.length > 1 ? 'they are' : 'it is'} (kind, not kwok)`);
      }
    } else if (check.grader !== undefined) {
      if (!/\.(ts|mts)$/.test(check.grader)) at(['checks', i, 'grader'], 'a custom grader is a TypeScript file (.ts)');
      await pathIssue(loaded.dir, check.grader, ['checks', i, 'grader'], at);
    }
  }
  for (const [section, steps] of [['setup', lab.setup], ['solution', lab.solution]] as const) {
    for (const [i, step] of steps.entries()) await validateStep(loaded.dir, step, [section, i], sample, at, lab);
  }
  return issues;
}

type At = (path: (string | number)[], message: string) => void;

function validateRequires(lab: Lab, at: At): void {
  const index = new Map(lab.checks.map((c, i) => [c.id, i]));
  for (const [i, check] of lab.checks.entries()) {
    if (index.get(check.id) !== i) at(['checks', i, 'id'], `duplicate check id "${check.id}"`);
  }
  // Walk the graph first so a cycle is named as one, not only as "comes later".
  const state = new Map<string, 'visiting' | 'done'>();
  const cyclic = new Set<string>();
  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(id)), id];
      cycle.forEach((c) => cyclic.add(c));
      const i = index.get(id) ?? 0;
      at(['checks', i, 'requires'], `requires forms a cycle: ${cycle.join(' -> ')}`);
      return;
    }
    state.set(id, 'visiting');
    for (const dep of lab.checks[index.get(id) ?? -1]?.requires ?? []) if (index.has(dep)) visit(dep, [...trail, id]);
    state.set(id, 'done');
  };
  for (const c of lab.checks) visit(c.id, []);
  for (const [i, check] of lab.checks.entries()) {
    for (const [j, dep] of check.requires.entries()) {
      const target = index.get(dep);
      if (target === undefined) at(['checks', i, 'requires', j], `requires unknown check "${dep}"`);
      else if (target >= i && !cyclic.has(dep)) at(['checks', i, 'requires', j], `requires "${dep}", which is graded later; list it before this check`);
    }
  }
}

async function validateStep(dir: string, step: Step, path: (string | number)[], sample: ParamValues, at: At, lab: Lab): Promise<void> {
  const params = lab.params;
  if ('apply' in step || 'delete' in step) {
    const key = 'apply' in step ? 'apply' : 'delete';
    const value = 'apply' in step ? step.apply : step.delete;
    if (isInlineManifest(value)) {
      for (const doc of parseAllDocuments(safeRenderString(value, sample))) {
        if ('errors' in doc && doc.errors.length > 0) at([...path, key], `inline manifest is not valid YAML: ${doc.errors[0]?.message.split('\n')[0]}`);
      }
    } else if (!value.includes('{{')) {
      await pathIssue(dir, value, [...path, key], at);
    }
  } else if ('fault' in step) {
    const templated = step.fault.includes('{{');
    for (const { name, values } of faultChoices(step.fault, params, [...path, 'fault'], at)) {
      const fault = faults.get(name);
      // With a templated name, say which of the possible faults an argument problem is for.
      const atFault: At = templated ? (p, message) => at(p, `(fault ${name}) ${message}`) : at;
      if (!fault) at([...path, 'fault'], `unknown fault "${name}"${suggest(name, [...faults.keys()])}`);
      else {
        argumentIssues(fault.params, safeRender(step.with, { ...sample, ...values }), [...path, 'with'], atFault);
        // Labs without requirements go to kwok; a fault only real nodes can take would fail at setup.
        if (!fault.inject.kwok && lab.cluster.requires.length === 0) {
          atFault([...path, 'fault'], `${name} can only be injected on ${Object.keys(fault.inject).join(', ')}; add node-shell to cluster.requires, so the lab runs there (not on kwok)`);
        }
      }
    }
  } else if ('waitFor' in step) {
    const primitive = primitives.get(step.waitFor);
    if (!primitive) at([...path, 'waitFor'], `unknown check "${step.waitFor}"${suggest(step.waitFor, [...primitives.keys()])}`);
    else argumentIssues(primitive.args, safeRender(step.with, sample), [...path, 'with'], at);
  }
}

/**
 * The faults a `fault:` step can inject: its name, or, when it is exactly `{{ p }}` of a `pick`
 * param, every value p can take (a lab with a random cause), each with the sample params that go with it.
 */
function faultChoices(fault: string, params: Lab['params'], path: (string | number)[], at: At): { name: string; values: ParamValues }[] {
  if (!fault.includes('{{')) return [{ name: fault, values: {} }];
  const param = /^\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}$/.exec(fault)?.[1];
  const spec = param === undefined ? undefined : params[param];
  if (param === undefined || spec === undefined || !('pick' in spec || 'value' in spec)) {
    at(path, 'a templated fault name must be exactly "{{ param }}" of a param with `pick:` (or `value:`), so every fault it can name is checked');
    return [];
  }
  const names = 'pick' in spec ? spec.pick : [spec.value];
  return names.map((name) => ({ name: String(name), values: { [param]: name } }));
}

async function pathIssue(dir: string, file: string, path: (string | number)[], at: At): Promise<void> {
  try {
    await resolveInLab(dir, file);
  } catch (error) {
    at(path, describeError(error));
  }
}

function argumentIssues(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown, path: (string | number)[], at: At): void {
  const parsed = schema.safeParse(value);
  if (parsed.success || !parsed.error) return;
  for (const issue of parsed.error.issues) {
    const sub = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    at([...path, ...sub], issue.message);
  }
}

/** A representative value for each param, so arguments can be checked before a session exists. */
export function sampleParams(params: Readonly<Record<string, ParamSpec>>): ParamValues {
  return Object.fromEntries(
    Object.entries(params).map(([name, spec]) => {
      if ('value' in spec) return [name, spec.value];
      if ('pick' in spec) return [name, spec.pick[0] ?? ''];
      if ('int' in spec) return [name, Math.min(...spec.int)];
      if ('randomName' in spec) return [name, `${spec.randomName.prefix}${'a'.repeat(spec.randomName.length)}`];
      return [name, spec.pickNode === 'controlplane' ? 'controlplane' : 'node01'];
    }),
  );
}

function safeRender<T>(value: T, params: ParamValues): T {
  try {
    return render(value, params);
  } catch {
    return value;
  }
}

function safeRenderString(value: string, params: ParamValues): string {
  return String(safeRender(value, params));
}

function suggest(name: string, known: string[]): string {
  const close = known.filter((k) => distance(k, name) <= 3).sort((a, b) => distance(a, name) - distance(b, name));
  return close[0] ? ` (did you mean "${close[0]}"?)` : `; known: ${known.join(', ')}`;
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

export interface DomainMix {
  domain: string;
  title: string;
  weight: number;
  points: number;
  /** Share of the exam's points in this domain, in percent. */
  share: number;
}

/** Checks an exam: curriculum, tasks, cluster groups; and reports its domain mix against the weights. */
export function validateExam(loaded: LoadedExam, library: Library): { issues: LabIssue[]; mix: DomainMix[] } {
  const { value: exam, source } = loaded;
  const issues: LabIssue[] = [];
  const at = (path: (string | number)[], message: string) => issues.push(source.issueAt(path, message));
  const curriculum = library.curricula.get(exam.metadata.curriculum)?.value;
  if (!curriculum) at(['metadata', 'curriculum'], `unknown curriculum "${exam.metadata.curriculum}"; known: ${[...library.curricula.keys()].join(', ')}`);
  const points = new Map<string, number>();
  const seen = new Set<string>();
  for (const [i, id] of exam.tasks.entries()) {
    if (seen.has(id)) at(['tasks', i], `task "${id}" is listed twice`);
    seen.add(id);
    const lab = library.labs.get(id)?.value;
    if (!lab) {
      at(['tasks', i], `no lab with id "${id}" under the given paths${suggest(id, [...library.labs.keys()])}`);
      continue;
    }
    if (lab.metadata.curriculum !== exam.metadata.curriculum) {
      at(['tasks', i], `lab ${id} belongs to curriculum ${lab.metadata.curriculum}, not ${exam.metadata.curriculum}`);
    }
    points.set(lab.metadata.domain, (points.get(lab.metadata.domain) ?? 0) + lab.metadata.points);
  }
  if (exam.clusters) {
    const grouped = new Map<string, number>();
    exam.clusters.forEach((group, g) =>
      group.tasks.forEach((task, t) => {
        if (!seen.has(task)) at(['clusters', g, 'tasks', t], `"${task}" is not one of the exam's tasks`);
        grouped.set(task, (grouped.get(task) ?? 0) + 1);
      }),
    );
    exam.tasks.forEach((task, i) => {
      if ((grouped.get(task) ?? 0) !== 1) at(['tasks', i], `task "${task}" must be in exactly one cluster group`);
    });
  }
  const total = [...points.values()].reduce((a, b) => a + b, 0);
  const mix = (curriculum?.domains ?? []).map((d) => ({
    domain: d.id,
    title: d.title,
    weight: d.weight,
    points: points.get(d.id) ?? 0,
    share: total ? (100 * (points.get(d.id) ?? 0)) / total : 0,
  }));
  return { issues, mix };
}
