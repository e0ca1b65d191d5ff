import { z } from 'zod';
import { NotFound } from '../kube.ts';
import { match } from '../match.ts';
import { getOrFail, isOutcome, objectRefArgs, refText } from './args.ts';
import { definePrimitive } from './registry.ts';

export const resourceExists = definePrimitive({
  name: 'resource.exists',
  summary: 'an object exists (apiVersion, kind, name, namespace)',
  args: objectRefArgs,
  timeoutSeconds: 3,
  async run({ kube }, ref) {
    const object = await getOrFail(kube, ref);
    return isOutcome(object) ? object : { status: 'pass', message: `${refText(ref)} exists` };
  },
});

export const resourceAbsent = definePrimitive({
  name: 'resource.absent',
  summary: 'an object does not exist',
  args: objectRefArgs,
  timeoutSeconds: 10,
  async run({ kube }, ref) {
    try {
      await kube.get(ref);
      return { status: 'fail', message: `${refText(ref)} still exists`, expected: 'absent', actual: 'exists' };
    } catch (error) {
      if (error instanceof NotFound) return { status: 'pass', message: `${refText(ref)} is absent` };
      throw error;
    }
  },
});

export const resourceMatch = definePrimitive({
  name: 'resource.match',
  summary: 'an object partially matches `match` (keyed arrays like containers[name=web], quantities by value)',
  args: objectRefArgs.extend({ match: z.record(z.string(), z.unknown()) }),
  timeoutSeconds: 5,
  async run({ kube }, args) {
    const object = await getOrFail(kube, args);
    if (isOutcome(object)) return object;
    const result = match(args.match, object);
    if (result.ok) return { status: 'pass', message: `${refText(args)} matches` };
    return { status: 'fail', message: `${refText(args)}: ${result.path} ${result.reason}`, path: result.path, expected: result.expected, actual: result.actual };
  },
});

export const resourceCount = definePrimitive({
  name: 'resource.count',
  summary: 'the number of objects of a kind (optionally by label selector, optionally matching `match`) is within bounds',
  args: z
    .strictObject({
      apiVersion: z.string().default('v1'),
      kind: z.string().min(1),
      namespace: z.string().optional(),
      selector: z.string().optional(),
      match: z.record(z.string(), z.unknown()).optional(),
      min: z.number().int().min(0).optional(),
      max: z.number().int().min(0).optional(),
      equals: z.number().int().min(0).optional(),
    })
    .refine((a) => a.min !== undefined || a.max !== undefined || a.equals !== undefined, { message: 'give min, max or equals' }),
  timeoutSeconds: 10,
  async run({ kube }, a) {
    const items = await kube.list(a.apiVersion, a.kind, a.namespace, a.selector);
    const count = a.match ? items.filter((item) => match(a.match, item).ok).length : items.length;
    const okCount = (a.equals === undefined || count === a.equals) && (a.min === undefined || count >= a.min) && (a.max === undefined || count <= a.max);
    const wanted = a.equals !== undefined ? `${a.equals}` : [a.min !== undefined ? `>= ${a.min}` : '', a.max !== undefined ? `<= ${a.max}` : ''].filter(Boolean).join(' and ');
    const what = `${a.kind} objects${a.namespace ? ` in ${a.namespace}` : ''}${a.selector ? ` with ${a.selector}` : ''}${a.match ? ' matching' : ''}`;
    return okCount
      ? { status: 'pass', message: `${count} ${what}` }
      : { status: 'fail', message: `${count} ${what}, expected ${wanted}`, expected: wanted, actual: count };
  },
});
