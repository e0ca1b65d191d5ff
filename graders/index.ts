/**
 * The grader library as lab authors see it: import these types in a custom grader
 * (`grader: ./grader.ts`) and export a `Grader` as default.
 *
 * @example
 * import type { Grader } from '../../../graders/index.ts';
 * const grader: Grader = async ({ kube, params }) => {
 *   const cm = await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'app', namespace: String(params.ns) });
 *   return cm.data?.mode === 'prod' ? { status: 'pass' } : { status: 'fail', message: 'mode is not prod' };
 * };
 * export default grader;
 */
export type { CheckContext } from './checks/index.ts';
export type { Grader } from './runner.ts';
export type { CheckOutcome, CheckResult, CheckStatus } from './types.ts';
export { KubeClient, KubeUnavailable, NotFound, type KubeObject, type ObjectRef } from './kube.ts';
export { match } from './match.ts';
export { parseQuantity, quantitiesEqual } from './quantity.ts';
