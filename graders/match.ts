import { quantitiesEqual } from './quantity.ts';

/**
 * Partial object matching in the style of kuttl and chainsaw: every field the expectation
 * names must be present and equal; fields it leaves out are ignored.
 *
 * - Arrays are never matched by position. A key `containers[name=web]` picks the item of
 *   `containers` whose `name` is `web` (several `k=v` pairs may be joined with commas). A plain
 *   expected array means: every expected item matches a different actual item, in any order.
 * - Quantities compare by value: `1Gi` equals `1024Mi`, `100m` equals `0.1`, `3` equals `"3"`.
 * - `null` expects the field to be absent.
 */
export type MatchResult =
  | { ok: true }
  | { ok: false; path: string; expected: unknown; actual: unknown; reason: string };

const keyedSelector = /^([^[\]]+)\[([^\]]+)\]$/;

export function match(expected: unknown, actual: unknown, path = ''): MatchResult {
  if (expected === null) {
    return actual === undefined || actual === null ? ok : fail(path, null, actual, 'should be absent');
  }
  if (Array.isArray(expected)) return matchArray(expected, actual, path);
  if (typeof expected === 'object') return matchObject(expected as Record<string, unknown>, actual, path);
  return scalarsEqual(expected, actual) ? ok : fail(path, expected, actual, actual === undefined ? 'is missing' : 'differs');
}

const ok: MatchResult = { ok: true };

function fail(path: string, expected: unknown, actual: unknown, reason: string): MatchResult {
  return { ok: false, path: path || '(root)', expected, actual, reason };
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function matchObject(expected: Record<string, unknown>, actual: unknown, path: string): MatchResult {
  if (actual === undefined || actual === null) return fail(path, expected, actual, 'is missing');
  if (typeof actual !== 'object' || Array.isArray(actual)) return fail(path, expected, actual, 'is not an object');
  const obj = actual as Record<string, unknown>;
  for (const [key, want] of Object.entries(expected)) {
    const keyed = keyedSelector.exec(key);
    const result = keyed ? matchKeyed(keyed[1] as string, keyed[2] as string, want, obj, path) : match(want, obj[key], join(path, key));
    if (!result.ok) return result;
  }
  return ok;
}

function matchKeyed(field: string, selector: string, want: unknown, obj: Record<string, unknown>, path: string): MatchResult {
  const itemPath = join(path, `${field}[${selector}]`);
  const list = obj[field];
  if (!Array.isArray(list)) {
    return want === null ? ok : fail(join(path, field), `a list with an item ${selector}`, list, 'is missing');
  }
  const pairs = selector.split(',').map((pair) => {
    const [k, ...rest] = pair.split('=');
    return [k?.trim() ?? '', rest.join('=').trim()] as const;
  });
  const item = list.find((candidate) =>
    pairs.every(([k, v]) => candidate && typeof candidate === 'object' && String((candidate as Record<string, unknown>)[k]) === v),
  );
  if (item === undefined) return want === null ? ok : fail(itemPath, want, undefined, 'no such item');
  return match(want, item, itemPath);
}

function matchArray(expected: unknown[], actual: unknown, path: string): MatchResult {
  if (!Array.isArray(actual)) return fail(path, expected, actual, actual === undefined ? 'is missing' : 'is not a list');
  const used = new Set<number>();
  for (const want of expected) {
    const index = actual.findIndex((candidate, i) => !used.has(i) && match(want, candidate).ok);
    if (index < 0) return fail(path, want, actual, 'has no item matching');
    used.add(index);
  }
  return ok;
}

function scalarsEqual(expected: unknown, actual: unknown): boolean {
  if (expected === actual) return true;
  if (typeof expected === 'boolean' || typeof actual === 'boolean') return false;
  return quantitiesEqual(expected, actual);
}
