import { z } from 'zod';

/** Argument shapes shared by several primitives. */
export const objectRefArgs = z.strictObject({
  apiVersion: z.string().default('v1'),
  kind: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string().optional(),
});

export function refText(ref: { kind: string; name: string; namespace?: string | undefined }): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}
