import { describe, expect, it } from 'vitest';
import { KubexamError } from '../errors.ts';
import { newSeed, resolveParams, type NodeNames } from './params.ts';
import type { ParamSpec } from './schema.ts';

const nodes: NodeNames = { controlPlanes: ['exam-control-plane'], workers: ['exam-worker', 'exam-worker2', 'exam-worker3'] };

const specs: Record<string, ParamSpec> = {
  fixed: { value: 'v1' },
  color: { pick: ['red', 'green', 'blue', 'amber', 'teal', 'plum'] },
  port: { int: [30000, 32767] },
  node: { pickNode: 'worker' },
  ns: { randomName: { prefix: 'team-', length: 6 } },
};

describe('resolveParams', () => {
  it('gives the same values for the same seed', () => {
    expect(resolveParams('lab-a', specs, 'seed-1', nodes)).toEqual(resolveParams('lab-a', specs, 'seed-1', nodes));
  });

  it('gives different values for different seeds, sooner or later', () => {
    const first = resolveParams('lab-a', specs, 'seed-0', nodes);
    const differs = Array.from({ length: 20 }, (_, i) => resolveParams('lab-a', specs, `seed-${i + 1}`, nodes)).some(
      (values) => values['port'] !== first['port'] && values['ns'] !== first['ns'],
    );
    expect(differs).toBe(true);
  });

  it('draws per lab, so two labs in one session differ', () => {
    const values = Array.from({ length: 10 }, (_, i) => resolveParams(`lab-${i}`, { port: { int: [1, 1_000_000] } }, 'same', nodes)['port']);
    expect(new Set(values).size).toBeGreaterThan(1);
  });

  it('does not change a param when another one is added', () => {
    const before = resolveParams('lab-a', specs, 'seed-1', nodes);
    const after = resolveParams('lab-a', { extra: { int: [0, 100] }, ...specs, zzz: { pick: ['a', 'b'] } }, 'seed-1', nodes);
    for (const name of Object.keys(specs)) expect(after[name], name).toEqual(before[name]);
  });

  it('keeps fixed values as they are', () => {
    expect(resolveParams('lab-a', { a: { value: 3 }, b: { value: true } }, 's', nodes)).toEqual({ a: 3, b: true });
  });

  it('draws ints within bounds, either order, both ends reachable', () => {
    const seen = new Set<unknown>();
    for (let i = 0; i < 200; i++) {
      const values = resolveParams('lab-a', { up: { int: [3, 5] }, down: { int: [5, 3] } }, `s${i}`, nodes);
      for (const v of [values['up'], values['down']]) {
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(3);
        expect(v).toBeLessThanOrEqual(5);
        seen.add(v);
      }
    }
    expect(seen).toEqual(new Set([3, 4, 5]));
  });

  it('picks only from the listed items', () => {
    for (let i = 0; i < 50; i++) {
      expect(['red', 'green', 'blue', 'amber', 'teal', 'plum']).toContain(resolveParams('lab-a', specs, `s${i}`, nodes)['color']);
    }
  });

  it('builds random names from the prefix and a readable alphabet', () => {
    for (let i = 0; i < 50; i++) {
      expect(resolveParams('lab-a', specs, `s${i}`, nodes)['ns']).toMatch(/^team-[a-km-np-z2-9]{6}$/);
    }
  });

  it('picks a node of the asked role', () => {
    for (let i = 0; i < 50; i++) {
      const values = resolveParams('lab-a', { w: { pickNode: 'worker' }, cp: { pickNode: 'controlplane' }, any: { pickNode: 'any' } }, `s${i}`, nodes);
      expect(nodes.workers).toContain(values['w']);
      expect(values['cp']).toBe('exam-control-plane');
      expect([...nodes.controlPlanes, ...nodes.workers]).toContain(values['any']);
    }
  });

  it('throws PARAM_NO_NODE when the cluster has no node of that role', () => {
    const noWorkers: NodeNames = { controlPlanes: ['exam-control-plane'], workers: [] };
    let error: unknown;
    try {
      resolveParams('lab-a', { node: { pickNode: 'worker' } }, 's', noWorkers);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KubexamError);
    expect((error as KubexamError).code).toBe('PARAM_NO_NODE');
    expect((error as KubexamError).message).toMatch(/param node picks a worker node/);
  });
});

describe('resolveParams with forced values', () => {
  function failure(fn: () => unknown): KubexamError {
    try {
      fn();
    } catch (e) {
      if (e instanceof KubexamError) return e;
    }
    throw new Error('expected a KubexamError');
  }

  it('takes a forced value in the param\'s own type and leaves the others as drawn', () => {
    const drawn = resolveParams('lab-a', specs, 'seed-1', nodes);
    const forced = resolveParams('lab-a', { ...specs, n: { pick: [1, 2, 3] } }, 'seed-1', nodes, { color: 'teal', port: '30001', node: 'exam-worker3', n: '2' });
    expect(forced).toMatchObject({ color: 'teal', port: 30001, node: 'exam-worker3', n: 2, fixed: 'v1', ns: drawn['ns'] });
  });

  it('refuses a value the param could not have drawn, saying which it could', () => {
    expect(failure(() => resolveParams('lab-a', specs, 's', nodes, { color: 'pink' })).message).toMatch(/param color cannot be "pink"; it can be one of red, green/);
    expect(failure(() => resolveParams('lab-a', specs, 's', nodes, { port: '80' })).code).toBe('PARAM_VALUE_INVALID');
    expect(failure(() => resolveParams('lab-a', specs, 's', nodes, { node: 'exam-control-plane' })).message).toMatch(/a worker node of this cluster: exam-worker, exam-worker2/);
    expect(failure(() => resolveParams('lab-a', specs, 's', nodes, { ns: 'x' })).message).toMatch(/"team-" followed by 6 characters/);
  });

  it('refuses a param the lab does not declare', () => {
    const error = failure(() => resolveParams('lab-a', specs, 's', nodes, { colour: 'red' }));
    expect(error.code).toBe('PARAM_UNKNOWN');
    expect(error.message).toMatch(/lab lab-a has no param "colour"; its params: fixed, color/);
  });
});

describe('newSeed', () => {
  it('makes short, printable seeds', () => {
    expect(newSeed()).toMatch(/^[0-9a-z]+$/);
  });
});
