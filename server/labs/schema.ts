import { z } from 'zod';

/**
 * The lab, exam and curriculum formats (apiVersion kubexam.dev/v1). Field docs here are the
 * reference; docs/lab-format.md shows them in use.
 */

const id = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'must be kebab-case: lowercase letters, digits and dashes');

const apiVersion = z.literal('kubexam.dev/v1');

/** Capabilities a provider may offer; a lab requiring one its provider lacks is refused up front. */
export const capabilities = ['node-shell', 'container-runtime', 'pod-logs', 'pod-exec', 'network-traffic', 'storage-provisioner'] as const;
export type Capability = (typeof capabilities)[number];

/** A randomised parameter, resolved per session from the seed; usable in strings as `{{ name }}`. */
export const paramSchema = z.union([
  z.strictObject({ value: z.union([z.string(), z.number(), z.boolean()]) }),
  z.strictObject({ pick: z.array(z.union([z.string(), z.number()])).min(1) }),
  z.strictObject({ int: z.tuple([z.number().int(), z.number().int()]) }),
  z.strictObject({ pickNode: z.enum(['worker', 'controlplane', 'any']) }),
  z.strictObject({ randomName: z.strictObject({ prefix: z.string().default(''), length: z.number().int().min(3).max(12).default(5) }) }),
]);
export type ParamSpec = z.infer<typeof paramSchema>;

/** One step of setup or solution. Exactly one action key per step. */
export const stepSchema = z.union([
  /** Apply a manifest: a path inside the lab folder, or inline YAML (a multi-line string). */
  z.strictObject({ apply: z.string().min(1), namespace: z.string().optional() }),
  /** Delete what a manifest describes (path or inline YAML). */
  z.strictObject({ delete: z.string().min(1), namespace: z.string().optional() }),
  /** Run a shell command with KUBECONFIG set; with `node`, run it on that node (kind only). */
  z.strictObject({ run: z.string().min(1), node: z.string().optional(), timeoutSeconds: z.number().positive().optional() }),
  /** Inject a fault from the catalog; other keys are the fault's parameters. */
  z.strictObject({ fault: z.string().min(1), with: z.record(z.string(), z.unknown()).default({}) }),
  /** Wait until a check passes (same primitives as `checks`). */
  z.strictObject({
    waitFor: z.string().min(1),
    with: z.record(z.string(), z.unknown()).default({}),
    timeoutSeconds: z.number().positive().default(60),
  }),
]);
export type Step = z.infer<typeof stepSchema>;

export const checkSchema = z
  .strictObject({
    id,
    points: z.number().int().min(0),
    /** A check primitive by name (graders/checks), e.g. `resource.match`. */
    check: z.string().optional(),
    /** Or a custom TypeScript grader, a path inside the lab folder. */
    grader: z.string().optional(),
    with: z.record(z.string(), z.unknown()).default({}),
    /** Ids of earlier checks that must pass first; otherwise this one is skipped. */
    requires: z.array(z.string()).default([]),
    /** What the check verifies, in words the candidate reads in the report. */
    message: z.string().optional(),
    /** How long the check polls for the state before it settles on fail. */
    timeoutSeconds: z.number().positive().max(600).optional(),
  })
  .refine((c) => (c.check === undefined) !== (c.grader === undefined), {
    message: 'a check needs exactly one of `check` (a primitive name) or `grader` (a .ts file)',
  });
export type CheckSpec = z.infer<typeof checkSchema>;

export const labSchema = z.strictObject({
  apiVersion,
  kind: z.literal('Lab'),
  metadata: z.strictObject({
    id,
    title: z.string().min(1),
    curriculum: id,
    domain: id,
    /** Task weight when the lab is part of an exam; the checks' points are scaled to it. */
    points: z.number().int().positive(),
    minutes: z.number().positive(),
    tags: z.array(z.string()).default([]),
  }),
  cluster: z
    .strictObject({
      controlPlanes: z.number().int().min(1).max(3).default(1),
      workers: z.number().int().min(0).max(10).default(2),
      requires: z.array(z.enum(capabilities)).default([]),
    })
    .prefault({}),
  params: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be an identifier'), paramSchema).default({}),
  setup: z.array(stepSchema).default([]),
  task: z.string().min(1),
  checks: z.array(checkSchema).min(1),
  solution: z.array(stepSchema).min(1),
  hints: z.array(z.string()).default([]),
});
export type Lab = z.infer<typeof labSchema>;

export const examSchema = z.strictObject({
  apiVersion,
  kind: z.literal('Exam'),
  metadata: z.strictObject({
    id,
    title: z.string().min(1),
    curriculum: id,
    durationMinutes: z.number().int().positive(),
    passPercent: z.number().min(0).max(100),
  }),
  /** Lab ids, in the order the candidate sees them. */
  tasks: z.array(id).min(1),
  /** Optional grouping of tasks onto shared clusters, as in the real exam; default: one cluster. */
  clusters: z.array(z.strictObject({ name: id, tasks: z.array(id).min(1) })).optional(),
});
export type Exam = z.infer<typeof examSchema>;

export const curriculumSchema = z.strictObject({
  apiVersion,
  kind: z.literal('Curriculum'),
  metadata: z.strictObject({
    id,
    title: z.string().min(1),
    version: z.string().min(1),
    historic: z.boolean().default(false),
  }),
  domains: z
    .array(z.strictObject({ id, title: z.string().min(1), weight: z.number().positive() }))
    .min(1)
    .refine((ds) => ds.reduce((sum, d) => sum + d.weight, 0) === 100, { message: 'domain weights must add up to 100' }),
});
export type Curriculum = z.infer<typeof curriculumSchema>;
