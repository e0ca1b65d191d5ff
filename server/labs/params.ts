import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { KubexamError } from '../errors.ts';
import type { ParamSpec } from './schema.ts';
import type { ParamValue, ParamValues } from './template.ts';

export interface NodeNames {
  controlPlanes: readonly string[];
  workers: readonly string[];
}

/** FNV-1a: a stable 32-bit number from a string, so `--seed abc` means the same everywhere. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/**
 * Resolves a lab's params for one session. Each param draws from its own generator seeded by
 * (seed, lab id, param name): adding a param never changes the values of the others.
 */
export function resolveParams(
  labId: string,
  specs: Readonly<Record<string, ParamSpec>>,
  seed: string,
  nodes: NodeNames,
  forced: Readonly<Record<string, string>> = {},
): ParamValues {
  for (const name of Object.keys(forced)) {
    if (!Object.hasOwn(specs, name)) {
      throw new KubexamError('PARAM_UNKNOWN', `lab ${labId} has no param "${name}"; its params: ${Object.keys(specs).join(', ') || 'none'}`);
    }
  }
  const values: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (Object.hasOwn(forced, name)) {
      values[name] = forcedValue(labId, name, spec, forced[name] as string, nodes);
      continue;
    }
    const rng = xoroshiro128plus(hash32(`${seed}\u0000${labId}\u0000${name}`));
    const pick = <T>(items: readonly T[]): T => items[uniformInt(rng, 0, items.length - 1)] as T;
    if ('value' in spec) values[name] = spec.value;
    else if ('pick' in spec) values[name] = pick(spec.pick);
    else if ('int' in spec) values[name] = uniformInt(rng, Math.min(...spec.int), Math.max(...spec.int));
    else if ('randomName' in spec) {
      const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
      let suffix = '';
      for (let i = 0; i < spec.randomName.length; i++) suffix += alphabet[uniformInt(rng, 0, alphabet.length - 1)];
      values[name] = `${spec.randomName.prefix}${suffix}`;
    } else {
      const pool =
        spec.pickNode === 'worker' ? nodes.workers : spec.pickNode === 'controlplane' ? nodes.controlPlanes : [...nodes.controlPlanes, ...nodes.workers];
      if (pool.length === 0) {
        throw new KubexamError('PARAM_NO_NODE', `param ${name} picks a ${spec.pickNode} node, but the cluster has none; raise cluster.workers`);
      }
      values[name] = pick(pool);
    }
  }
  return values;
}

/**
 * A value given on the command line (`kubexam test --param cause=kubelet-stopped`) in place of
 * the drawn one. It must be a value the param could have drawn, so a forced run tests a state
 * candidates can really meet; it takes the type the param would have.
 */
function forcedValue(labId: string, name: string, spec: ParamSpec, raw: string, nodes: NodeNames): ParamValue {
  const refuse = (could: string): never => {
    throw new KubexamError('PARAM_VALUE_INVALID', `lab ${labId}: param ${name} cannot be "${raw}"; it can be ${could}`);
  };
  if ('value' in spec) return String(spec.value) === raw ? spec.value : refuse(`only ${String(spec.value)}`);
  if ('pick' in spec) return spec.pick.find((v) => String(v) === raw) ?? refuse(`one of ${spec.pick.join(', ')}`);
  if ('int' in spec) {
    const [low, high] = [Math.min(...spec.int), Math.max(...spec.int)];
    const n = Number(raw);
    return Number.isInteger(n) && n >= low && n <= high ? n : refuse(`a whole number from ${low} to ${high}`);
  }
  if ('randomName' in spec) {
    const { prefix, length } = spec.randomName;
    return raw.startsWith(prefix) && raw.length === prefix.length + length ? raw : refuse(`"${prefix}" followed by ${length} characters`);
  }
  const pool = spec.pickNode === 'worker' ? nodes.workers : spec.pickNode === 'controlplane' ? nodes.controlPlanes : [...nodes.controlPlanes, ...nodes.workers];
  return pool.includes(raw) ? raw : refuse(`a ${spec.pickNode} node of this cluster: ${pool.join(', ') || 'none'}`);
}

/** A fresh random seed for a session that did not ask for one; printed so the run can be repeated. */
export function newSeed(): string {
  return Math.floor(Math.random() * 0xffffffff).toString(36);
}
