import type { z } from 'zod';
import type { NodeAccess } from '../../server/clusters/node-access.ts';
import type { Capability } from '../../server/labs/schema.ts';
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
  /**
   * Provider capabilities the check needs to tell pass from fail (node-shell, pod-logs,
   * network-traffic). A lab using it must list them under `cluster.requires`, so that
   * `kubexam lab validate` and provider matching refuse it where they are missing (kwok).
   */
  requires?: readonly Capability[];
  args: z.ZodType<Args>;
  /** How long the runner polls for a pass by default (fields settle fast, readiness does not). */
  timeoutSeconds: number;
  run(ctx: CheckContext, args: Args): Promise<CheckOutcome>;
}

export function definePrimitive<Args>(primitive: CheckPrimitive<Args>): CheckPrimitive<unknown> {
  return primitive as CheckPrimitive<unknown>;
}
