import type { z } from 'zod';
import type { NodeAccess } from '../../server/clusters/node-access.ts';
import type { KubeClient } from '../kube.ts';
import type { CheckOutcome } from '../types.ts';

/** What every check primitive and custom grader gets: read-only cluster access and the params. */
export interface CheckContext {
  kube: KubeClient;
  params: Readonly<Record<string, string | number | boolean>>;
  /** A shell on the nodes, when the provider has real ones (kind); absent on kwok. */
  nodes?: NodeAccess | undefined;
}

/** A check primitive, used from lab YAML by `name` with arguments under `with`. */
export interface CheckPrimitive<Args = unknown> {
  name: string;
  summary: string;
  args: z.ZodType<Args>;
  /** How long the runner polls for a pass by default (fields settle fast, readiness does not). */
  timeoutSeconds: number;
  run(ctx: CheckContext, args: Args): Promise<CheckOutcome>;
}

export function definePrimitive<Args>(primitive: CheckPrimitive<Args>): CheckPrimitive<unknown> {
  return primitive as CheckPrimitive<unknown>;
}
