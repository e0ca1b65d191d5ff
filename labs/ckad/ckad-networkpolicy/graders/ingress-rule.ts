import { match, NotFound, type CheckOutcome, type Grader } from '../../../../graders/index.ts';

/**
 * resource.match on a NetworkPolicy's ingress rules, as a custom grader: the typed client that
 * graders/kube.ts reads objects with renames `from` to `_from` (a reserved word in its
 * generated models), so `ingress: [{from: ...}]` never matches through the primitive. This
 * grader accepts both spellings, so it keeps working once objects are read as plain JSON.
 */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k === '_from' ? 'from' : k, plain(v)]));
  }
  return value;
}

export function ingressRule(policy: string, namespace: string, rule: Record<string, unknown>, what: string): Grader {
  return async ({ kube }): Promise<CheckOutcome> => {
    let object;
    try {
      object = await kube.get({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', name: policy, namespace });
    } catch (error) {
      if (error instanceof NotFound) return { status: 'fail', message: `NetworkPolicy ${namespace}/${policy} does not exist`, expected: 'exists', actual: 'not found' };
      throw error;
    }
    const result = match({ spec: { ingress: [rule] } }, plain(object));
    if (result.ok) return { status: 'pass', message: what };
    return { status: 'fail', message: `NetworkPolicy ${namespace}/${policy}: ${result.path} ${result.reason}`, path: result.path, expected: result.expected, actual: result.actual };
  };
}
