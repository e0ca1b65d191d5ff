import { z } from 'zod';
import { NotFound, type KubeClient, type KubeObject, type ObjectRef } from '../kube.ts';
import type { CheckOutcome } from '../types.ts';

/** Argument shapes shared by several primitives. */
export const objectRefArgs = z.strictObject({
  apiVersion: z.string().default('v1'),
  kind: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string().optional(),
});

/** A regular expression source, refused up front when it does not compile. */
export const regex = z.string().min(1).refine((source) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

export function refText(ref: { kind: string; name: string; namespace?: string | undefined }): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/**
 * The object `ref` names, or the `fail` outcome every primitive gives for a missing one
 * (API trouble still throws, and becomes `error`).
 */
export async function getOrFail(kube: KubeClient, ref: ObjectRef, what = refText(ref)): Promise<KubeObject | CheckOutcome> {
  try {
    return await kube.get(ref);
  } catch (error) {
    if (error instanceof NotFound) return { status: 'fail', message: `${what} does not exist`, expected: 'exists', actual: 'not found' };
    throw error;
  }
}

/** Tells getOrFail's two answers apart. */
export function isOutcome(value: KubeObject | CheckOutcome): value is CheckOutcome {
  return 'status' in value && typeof value.status === 'string' && !('apiVersion' in value);
}
