import { z } from 'zod';
import type { V1SubjectAccessReviewSpec } from '@kubernetes/client-node';
import { definePrimitive, type CheckContext } from './registry.ts';

const accessArgs = z
  .strictObject({
    /** A user name, or */
    user: z.string().optional(),
    /** a ServiceAccount as `namespace/name`. */
    serviceAccount: z.string().regex(/^[^/]+\/[^/]+$/, 'write it as namespace/name').optional(),
    groups: z.array(z.string()).default([]),
    verb: z.string().min(1),
    resource: z.string().min(1),
    /** API group of the resource; '' (core) by default. */
    group: z.string().default(''),
    subresource: z.string().optional(),
    namespace: z.string().optional(),
    name: z.string().optional(),
  })
  .refine((a) => (a.user === undefined) !== (a.serviceAccount === undefined), { message: 'give exactly one of user or serviceAccount' });

type AccessArgs = z.infer<typeof accessArgs>;

/** The user and groups the API server sees for the subject (a ServiceAccount's are implied). */
export function accessSubject(a: { user?: string | undefined; serviceAccount?: string | undefined; groups: readonly string[] }): { user: string; groups: string[] } {
  if (!a.serviceAccount) return { user: a.user ?? '', groups: [...a.groups] };
  const [ns, name] = a.serviceAccount.split('/');
  return { user: `system:serviceaccount:${ns}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated', ...a.groups] };
}

function reviewSpec(a: AccessArgs): V1SubjectAccessReviewSpec {
  const { user, groups } = accessSubject(a);
  return {
    user,
    groups,
    resourceAttributes: {
      verb: a.verb,
      resource: a.resource,
      group: a.group,
      ...(a.subresource ? { subresource: a.subresource } : {}),
      ...(a.namespace ? { namespace: a.namespace } : {}),
      ...(a.name ? { name: a.name } : {}),
    },
  };
}

function describe(a: AccessArgs): string {
  const who = a.serviceAccount ? `serviceaccount ${a.serviceAccount}` : `user ${a.user}`;
  const what = `${a.resource}${a.subresource ? `/${a.subresource}` : ''}${a.group ? `.${a.group}` : ''}${a.name ? ` ${a.name}` : ''}`;
  return `${who} ${a.verb} ${what}${a.namespace ? ` in ${a.namespace}` : ' cluster-wide'}`;
}

async function decide(kube: CheckContext['kube'], a: AccessArgs, want: boolean) {
  const { allowed } = await kube.canI(reviewSpec(a));
  const text = describe(a);
  return allowed === want
    ? ({ status: 'pass', message: `${text}: ${allowed ? 'allowed' : 'denied'}` } as const)
    : ({ status: 'fail', message: `${text}: ${allowed ? 'allowed' : 'denied'}, expected ${want ? 'allowed' : 'denied'}`, expected: want ? 'allowed' : 'denied', actual: allowed ? 'allowed' : 'denied' } as const);
}

export const rbacCan = definePrimitive({
  name: 'rbac.can',
  summary: 'a user or ServiceAccount is allowed a verb on a resource (SubjectAccessReview)',
  args: accessArgs,
  timeoutSeconds: 5,
  run: ({ kube }, a) => decide(kube, a, true),
});

export const rbacCannot = definePrimitive({
  name: 'rbac.cannot',
  summary: 'a user or ServiceAccount is denied a verb on a resource (SubjectAccessReview)',
  args: accessArgs,
  timeoutSeconds: 5,
  run: ({ kube }, a) => decide(kube, a, false),
});
