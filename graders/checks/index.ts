import { networkBlocked, networkReachable } from './network.ts';
import { nodeCommand, nodeFile } from './node-command.ts';
import { nodeReady, nodeSchedulable } from './node.ts';
import { podLogs } from './pod-logs.ts';
import { rbacCan, rbacCannot } from './rbac.ts';
import type { CheckPrimitive } from './registry.ts';
import { resourceAbsent, resourceCount, resourceExists, resourceMatch } from './resource.ts';
import { serviceEndpoints } from './service.ts';
import { workloadReady } from './workload.ts';

/** Every check primitive, by the name labs use in `check:`. */
export const primitives: ReadonlyMap<string, CheckPrimitive> = new Map(
  [resourceExists, resourceAbsent, resourceMatch, resourceCount, workloadReady, serviceEndpoints, rbacCan, rbacCannot, nodeReady, nodeSchedulable, nodeCommand, nodeFile, podLogs, networkReachable, networkBlocked].map((p) => [p.name, p]),
);

export type { CheckContext, CheckPrimitive } from './registry.ts';
