import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { CheckContext } from '../graders/checks/index.ts';
import { KubeClient } from '../graders/kube.ts';
import { runChecks, type RunnableCheck } from '../graders/runner.ts';
import type { CheckResult } from '../graders/types.ts';
import type { ClusterInfo } from '../server/clusters/provider.ts';
import { kubectl } from '../server/exec/kubectl.ts';
import { createCluster, testEnv, type TestEnv } from './support/kwok.ts';
import { until } from './support/until.ts';

/**
 * Every check primitive and the runner, against one real kwok cluster. Failing cases use a
 * short `timeoutSeconds` so the runner gives up quickly on a state that will not change.
 */

const fixtures = `
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Namespace
metadata: {name: other}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, namespace: shop}
data: {mode: prod}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      # The sidecar comes first so that matching by position would pick the wrong container.
      - name: sidecar
        image: busybox:1.36
        command: [sleep, '3600']
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 80}]
        resources:
          limits: {memory: 1024Mi, cpu: '0.5'}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: broken, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: broken}}
  template:
    metadata: {labels: {app: broken}}
    spec:
      containers:
      - {name: app, image: 'nginx:9.99-missing'}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: grow, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: grow}}
  template:
    metadata: {labels: {app: grow}}
    spec:
      containers:
      - {name: app, image: 'nginx:1.27'}
---
apiVersion: batch/v1
kind: Job
metadata: {name: once, namespace: shop}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: once, image: 'busybox:1.36', command: [sh, -c, 'echo done']}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: lost, namespace: shop}
spec:
  selector: {app: wbe}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: reader, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: shop}
rules:
- {apiGroups: [''], resources: [pods], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader-reads-pods, namespace: shop}
subjects:
- {kind: ServiceAccount, name: reader, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-front, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: front}}}]
    ports: [{protocol: TCP, port: 80}]
`;

let env: TestEnv;
let cluster: ClusterInfo;
let ctx: CheckContext;
let scratch: string;

function k(args: readonly string[], input?: string) {
  return kubectl(env.kubectl, cluster.kubeconfig, args, input !== undefined ? { input } : {});
}


type CheckSpec = Partial<RunnableCheck> & Pick<RunnableCheck, 'with'>;

function runnable(spec: CheckSpec, index = 0): RunnableCheck {
  return { id: `c${index}`, points: 2, requires: [], ...spec };
}

async function gradeAll(specs: CheckSpec[], context: CheckContext = ctx, budgetMs = 120_000): Promise<CheckResult[]> {
  return runChecks(specs.map(runnable), context, { deadline: Date.now() + budgetMs, pollMs: 300 });
}

async function grade(spec: CheckSpec, context: CheckContext = ctx): Promise<CheckResult> {
  const [result] = await gradeAll([spec], context);
  if (!result) throw new Error('runChecks returned no result');
  return result;
}

/** A check that must fail: the state is final, so one second of polling is plenty. */
function failing(check: string, args: Record<string, unknown>): CheckSpec {
  return { check, with: args, timeoutSeconds: 1 };
}

beforeAll(async () => {
  env = await testEnv();
  cluster = await createCluster(env, 'graders');
  ctx = { kube: new KubeClient(cluster.kubeconfig), params: {} };
  scratch = await mkdtemp(join(tmpdir(), 'kubexam-graders-'));
  await k(['apply', '-f', '-'], fixtures);
  await k(['-n', 'shop', 'rollout', 'status', 'deployment/web', '--timeout=90s']);
  await k(['-n', 'shop', 'rollout', 'status', 'deployment/grow', '--timeout=90s']);
});

afterAll(async () => {
  await env?.cleanup();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('resource.exists', () => {
  it('passes for an object that is there', async () => {
    const r = await grade({ check: 'resource.exists', with: { kind: 'ConfigMap', name: 'app-config', namespace: 'shop' } });
    expect(r).toMatchObject({ status: 'pass', points: 2, maxPoints: 2, message: 'ConfigMap shop/app-config exists' });
  });

  it('passes for a cluster-scoped object of another API group', async () => {
    const r = await grade({ check: 'resource.exists', with: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'view' } });
    expect(r).toMatchObject({ status: 'pass', message: 'ClusterRole view exists' });
  });

  it('fails for a missing object, in another namespace or of a kind the cluster does not know', async () => {
    const [missing, elsewhere, unknownKind] = await gradeAll([
      failing('resource.exists', { kind: 'ConfigMap', name: 'nope', namespace: 'shop' }),
      failing('resource.exists', { kind: 'ConfigMap', name: 'app-config', namespace: 'other' }),
      failing('resource.exists', { apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', namespace: 'shop' }),
    ]);
    expect(missing).toMatchObject({ status: 'fail', points: 0, message: 'ConfigMap shop/nope does not exist', expected: 'exists', actual: 'not found' });
    expect(elsewhere).toMatchObject({ status: 'fail', message: 'ConfigMap other/app-config does not exist' });
    expect(unknownKind).toMatchObject({ status: 'fail', message: 'Widget shop/w does not exist', expected: 'exists', actual: 'not found' });
  });
});

describe('resource.absent', () => {
  it('passes for a missing object', async () => {
    const r = await grade({ check: 'resource.absent', with: { kind: 'Secret', name: 'nope', namespace: 'shop' } });
    expect(r).toMatchObject({ status: 'pass', points: 2, message: 'Secret shop/nope is absent' });
  });

  it('fails for an object that is there', async () => {
    const r = await grade(failing('resource.absent', { kind: 'ServiceAccount', name: 'reader', namespace: 'shop' }));
    expect(r).toMatchObject({ status: 'fail', points: 0, message: 'ServiceAccount shop/reader still exists', expected: 'absent', actual: 'exists' });
  });
});

describe('resource.match', () => {
  const web = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop' };

  it('matches a container by name, whatever its position', async () => {
    const r = await grade({
      check: 'resource.match',
      with: { ...web, match: { spec: { replicas: 2, template: { spec: { 'containers[name=web]': { image: 'nginx:1.27', ports: [{ containerPort: 80 }] } } } } } },
    });
    expect(r).toMatchObject({ status: 'pass', message: 'Deployment shop/web matches' });
  });

  it('sees fields under their Kubernetes names, even those that are words in JavaScript', async () => {
    // A client library's models would rename NetworkPolicy `from` to `_from`; graders read raw JSON.
    const r = await grade({
      check: 'resource.match',
      with: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', name: 'web-from-front', namespace: 'shop', match: { spec: { ingress: [{ from: [{ podSelector: { matchLabels: { app: 'front' } } }] }] } } },
    });
    expect(r.status).toBe('pass');
    const object = await ctx.kube.get({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', name: 'web-from-front', namespace: 'shop' });
    expect(typeof object.metadata?.creationTimestamp).toBe('string');
  });

  it('compares quantities by value, not by spelling', async () => {
    // The API server stores 1024Mi as 1Gi and 0.5 as 500m; lab authors may write either.
    const stored = JSON.parse((await k(['-n', 'shop', 'get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[1].resources.limits}'])).stdout) as Record<string, string>;
    expect(stored).toEqual({ memory: '1Gi', cpu: '500m' });
    const r = await grade({
      check: 'resource.match',
      with: { ...web, match: { spec: { template: { spec: { 'containers[name=web]': { resources: { limits: { memory: '1024Mi', cpu: 0.5 } } } } } } } },
    });
    expect(r.status).toBe('pass');
  });

  it('fails with the path, expected and actual of the first difference', async () => {
    const r = await grade(failing('resource.match', { ...web, match: { spec: { template: { spec: { 'containers[name=web]': { image: 'nginx:1.28' } } } } } }));
    expect(r).toMatchObject({
      status: 'fail',
      points: 0,
      path: 'spec.template.spec.containers[name=web].image',
      expected: 'nginx:1.28',
      actual: 'nginx:1.27',
      message: 'Deployment shop/web: spec.template.spec.containers[name=web].image differs',
    });
  });

  it('fails on a quantity of another value', async () => {
    const r = await grade(failing('resource.match', { ...web, match: { spec: { template: { spec: { 'containers[name=web]': { resources: { limits: { memory: '2Gi' } } } } } } } }));
    expect(r).toMatchObject({ status: 'fail', path: 'spec.template.spec.containers[name=web].resources.limits.memory', expected: '2Gi', actual: '1Gi' });
  });

  it('fails when the keyed item does not exist, and when the object does not', async () => {
    const [noItem, noObject] = await gradeAll([
      failing('resource.match', { ...web, match: { spec: { template: { spec: { 'containers[name=proxy]': { image: 'nginx:1.27' } } } } } }),
      failing('resource.match', { ...web, name: 'gone', match: { spec: { replicas: 1 } } }),
    ]);
    expect(noItem).toMatchObject({ status: 'fail', path: 'spec.template.spec.containers[name=proxy]', expected: { image: 'nginx:1.27' }, message: 'Deployment shop/web: spec.template.spec.containers[name=proxy] no such item' });
    expect(noItem?.actual).toBeUndefined();
    expect(noObject).toMatchObject({ status: 'fail', message: 'Deployment shop/gone does not exist', expected: 'exists', actual: 'not found' });
  });
});

describe('resource.count', () => {
  it('counts by selector and by match', async () => {
    const [bySelector, byMatch, inRange] = await gradeAll([
      { check: 'resource.count', with: { kind: 'Pod', namespace: 'shop', selector: 'app=web', equals: 2 } },
      { check: 'resource.count', with: { kind: 'Pod', namespace: 'shop', match: { status: { phase: 'Running' }, metadata: { labels: { app: 'web' } } }, min: 2 } },
      { check: 'resource.count', with: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', min: 1, max: 3 } },
    ]);
    expect(bySelector).toMatchObject({ status: 'pass', message: '2 Pod objects in shop with app=web' });
    expect(byMatch).toMatchObject({ status: 'pass', message: '2 Pod objects in shop matching' });
    expect(inRange).toMatchObject({ status: 'pass', message: '3 Deployment objects in shop' });
  });

  it('fails outside the bounds, with the bound and the count', async () => {
    const [tooMany, wrongCount, tooFew] = await gradeAll([
      failing('resource.count', { kind: 'Pod', namespace: 'shop', selector: 'app=web', max: 1 }),
      failing('resource.count', { kind: 'Pod', namespace: 'shop', selector: 'app=web', equals: 3 }),
      failing('resource.count', { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'other', min: 1, max: 2 }),
    ]);
    expect(tooMany).toMatchObject({ status: 'fail', message: '2 Pod objects in shop with app=web, expected <= 1', expected: '<= 1', actual: 2 });
    expect(wrongCount).toMatchObject({ status: 'fail', expected: '3', actual: 2 });
    expect(tooFew).toMatchObject({ status: 'fail', message: '0 Deployment objects in other, expected >= 1 and <= 2', expected: '>= 1 and <= 2', actual: 0 });
  });
});

describe('workload.ready', () => {
  it('passes for a rolled-out Deployment and a completed Job', async () => {
    const [deployment, job] = await gradeAll([
      { check: 'workload.ready', with: { kind: 'Deployment', name: 'web', namespace: 'shop', replicas: 2 } },
      { check: 'workload.ready', with: { kind: 'Job', name: 'once', namespace: 'shop' } },
    ]);
    expect(deployment).toMatchObject({ status: 'pass', message: 'Deployment shop/web is ready (2/2 ready, 2 updated)' });
    expect(job).toMatchObject({ status: 'pass', message: 'Job shop/once is ready (1/1 completions succeeded)' });
  });

  it('fails for a Deployment whose image cannot be pulled', async () => {
    await until(
      'broken pod in ImagePullBackOff',
      async () => (await k(['-n', 'shop', 'get', 'pods', '-l', 'app=broken', '-o', 'jsonpath={.items[*].status.containerStatuses[*].state.waiting.reason}'])).stdout,
      (reason) => reason === 'ImagePullBackOff',
      60_000,
    );
    const r = await grade(failing('workload.ready', { kind: 'Deployment', name: 'broken', namespace: 'shop' }));
    expect(r).toMatchObject({ status: 'fail', points: 0, expected: 'ready', message: expect.stringMatching(/^Deployment shop\/broken is not ready: 0\/1 ready/) });
    expect(r.actual).toMatch(/^0\/1 ready/);
  });

  it('fails when spec.replicas is not the number asked for, or the workload is missing', async () => {
    const [replicas, missing] = await gradeAll([
      failing('workload.ready', { kind: 'Deployment', name: 'web', namespace: 'shop', replicas: 3 }),
      failing('workload.ready', { kind: 'StatefulSet', name: 'db', namespace: 'shop' }),
    ]);
    expect(replicas).toMatchObject({ status: 'fail', message: 'Deployment shop/web is not ready: spec.replicas is 2, expected 3', actual: 'spec.replicas is 2, expected 3' });
    expect(missing).toMatchObject({ status: 'fail', message: 'StatefulSet shop/db does not exist', expected: 'exists', actual: 'not found' });
  });
});

describe('service.endpoints', () => {
  it('passes when the selector matches ready pods', async () => {
    const r = await grade({ check: 'service.endpoints', with: { name: 'web', namespace: 'shop', min: 2, port: 80 } });
    expect(r).toMatchObject({ status: 'pass', message: 'Service shop/web has 2 ready endpoint(s)' });
  });

  it('fails when the selector matches nothing, or on a port the Service does not have', async () => {
    const [wrongSelector, wrongPort, missing] = await gradeAll([
      failing('service.endpoints', { name: 'lost', namespace: 'shop' }),
      failing('service.endpoints', { name: 'web', namespace: 'shop', port: 8080 }),
      failing('service.endpoints', { name: 'nope', namespace: 'shop' }),
    ]);
    expect(wrongSelector).toMatchObject({ status: 'fail', message: 'Service shop/lost has 0 ready endpoint(s), expected at least 1', expected: '>= 1', actual: 0 });
    expect(wrongPort).toMatchObject({ status: 'fail', message: 'Service shop/web has 0 ready endpoint(s), expected at least 1 on port 8080' });
    expect(missing).toMatchObject({ status: 'fail', message: 'Service shop/nope does not exist' });
  });
});

describe('rbac.can and rbac.cannot', () => {
  const reader = { serviceAccount: 'shop/reader', resource: 'pods' };

  it('allows what the RoleBinding grants, in its namespace only', async () => {
    const [can, cannotElsewhere, cannotDelete, cannotSecrets] = await gradeAll([
      { check: 'rbac.can', with: { ...reader, verb: 'list', namespace: 'shop' } },
      { check: 'rbac.cannot', with: { ...reader, verb: 'list', namespace: 'other' } },
      { check: 'rbac.cannot', with: { ...reader, verb: 'delete', namespace: 'shop' } },
      { check: 'rbac.cannot', with: { serviceAccount: 'shop/reader', verb: 'get', resource: 'secrets', namespace: 'shop' } },
    ]);
    expect(can).toMatchObject({ status: 'pass', message: 'serviceaccount shop/reader list pods in shop: allowed' });
    expect(cannotElsewhere).toMatchObject({ status: 'pass', message: 'serviceaccount shop/reader list pods in other: denied' });
    expect(cannotDelete).toMatchObject({ status: 'pass', message: 'serviceaccount shop/reader delete pods in shop: denied' });
    expect(cannotSecrets?.status).toBe('pass');
  });

  it('fails the other way round, with expected and actual', async () => {
    const [can, cannot, user] = await gradeAll([
      failing('rbac.can', { ...reader, verb: 'delete', namespace: 'shop' }),
      failing('rbac.cannot', { ...reader, verb: 'get', namespace: 'shop', name: 'any' }),
      failing('rbac.can', { user: 'jane', verb: 'create', resource: 'deployments', group: 'apps', namespace: 'shop' }),
    ]);
    expect(can).toMatchObject({ status: 'fail', message: 'serviceaccount shop/reader delete pods in shop: denied, expected allowed', expected: 'allowed', actual: 'denied' });
    expect(cannot).toMatchObject({ status: 'fail', message: 'serviceaccount shop/reader get pods any in shop: allowed, expected denied', expected: 'denied', actual: 'allowed' });
    expect(user).toMatchObject({ status: 'fail', message: 'user jane create deployments.apps in shop: denied, expected allowed' });
  });
});

describe('node.ready and node.schedulable', () => {
  it('node.ready passes for a Ready node and fails when NotReady is required', async () => {
    const [ready, notReady, missing] = await gradeAll([
      { check: 'node.ready', with: { node: 'node01' } },
      failing('node.ready', { node: 'node01', ready: false }),
      failing('node.ready', { node: 'node09' }),
    ]);
    expect(ready).toMatchObject({ status: 'pass', message: 'node node01 is Ready' });
    expect(notReady).toMatchObject({
      status: 'fail',
      path: 'status.conditions[type=Ready].status',
      expected: 'not True',
      actual: 'True',
      message: expect.stringMatching(/^node node01: Ready=True.*, expected NotReady$/),
    });
    expect(missing).toMatchObject({ status: 'fail', message: 'node node09 does not exist' });
  });

  it('node.schedulable follows kubectl cordon', async () => {
    expect(await grade({ check: 'node.schedulable', with: { node: 'node02' } })).toMatchObject({ status: 'pass', message: 'node node02 is schedulable' });
    await k(['cordon', 'node02']);
    try {
      const [schedulable, cordoned] = await gradeAll([
        failing('node.schedulable', { node: 'node02' }),
        { check: 'node.schedulable', with: { node: 'node02', schedulable: false } },
      ]);
      expect(schedulable).toMatchObject({ status: 'fail', message: 'node node02 is cordoned, expected schedulable', path: 'spec.unschedulable', expected: false, actual: true });
      expect(cordoned).toMatchObject({ status: 'pass', message: 'node node02 is cordoned' });
    } finally {
      await k(['uncordon', 'node02']);
    }
  });
});

describe('runChecks', () => {
  it('skips a check whose requirement failed, and runs one whose requirement passed', async () => {
    const results = await gradeAll([
      { id: 'config', ...failing('resource.exists', { kind: 'ConfigMap', name: 'settings', namespace: 'shop' }) },
      { id: 'config-content', check: 'resource.match', with: { kind: 'ConfigMap', name: 'app-config', namespace: 'shop', match: { data: { mode: 'prod' } } }, requires: ['config'], points: 3 },
      { id: 'sa', check: 'resource.exists', with: { kind: 'ServiceAccount', name: 'reader', namespace: 'shop' } },
      { id: 'sa-rights', check: 'rbac.can', with: { serviceAccount: 'shop/reader', verb: 'get', resource: 'pods', namespace: 'shop' }, requires: ['sa'] },
    ]);
    expect(results.map((r) => [r.id, r.status, r.points])).toEqual([
      ['config', 'fail', 0],
      ['config-content', 'skipped', 0],
      ['sa', 'pass', 2],
      ['sa-rights', 'pass', 2],
    ]);
    expect(results[1]).toMatchObject({ maxPoints: 3, message: 'skipped: needs config to pass first', durationMs: 0 });
  });

  it('polls until a state that appears after grading started', async () => {
    const started = Date.now();
    const scaling = new Promise<void>((resolve, reject) => {
      setTimeout(() => k(['-n', 'shop', 'scale', 'deployment/grow', '--replicas=3']).then(() => resolve(), reject), 2_000);
    });
    const [result] = await gradeAll([{ check: 'workload.ready', with: { kind: 'Deployment', name: 'grow', namespace: 'shop', replicas: 3 }, timeoutSeconds: 30 }]);
    await scaling;
    expect(result).toMatchObject({ status: 'pass', points: 2, message: 'Deployment shop/grow is ready (3/3 ready, 3 updated)' });
    expect(result?.durationMs).toBeGreaterThanOrEqual(2_000);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('stops polling at the overall deadline', async () => {
    const started = Date.now();
    const [result] = await gradeAll([{ check: 'resource.exists', with: { kind: 'ConfigMap', name: 'never', namespace: 'shop' }, timeoutSeconds: 120 }], ctx, 1_500);
    expect(result?.status).toBe('fail');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reports an unreachable API server as error, never fail', async () => {
    const config = parse(await readFile(cluster.kubeconfig, 'utf8')) as { clusters: { cluster: { server: string } }[] };
    for (const c of config.clusters) c.cluster.server = c.cluster.server.replace(/:\d+$/, ':1');
    const path = join(scratch, 'unreachable.kubeconfig');
    await writeFile(path, stringify(config));
    const down: CheckContext = { kube: new KubeClient(path, 2_000), params: {} };
    const results = await gradeAll(
      [
        { id: 'exists', ...failing('resource.exists', { kind: 'ConfigMap', name: 'app-config', namespace: 'shop' }) },
        { id: 'absent', ...failing('resource.absent', { kind: 'ConfigMap', name: 'nope', namespace: 'shop' }) },
        { id: 'count', ...failing('resource.count', { kind: 'Pod', namespace: 'shop', equals: 0 }) },
        { id: 'rbac', ...failing('rbac.cannot', { user: 'jane', verb: 'get', resource: 'pods' }) },
        { id: 'node', ...failing('node.ready', { node: 'node01' }) },
        { id: 'after', check: 'node.ready', with: { node: 'node01' }, requires: ['node'] },
      ],
      down,
    );
    expect(results.map((r) => [r.id, r.status, r.points])).toEqual([
      ['exists', 'error', 0],
      ['absent', 'error', 0],
      ['count', 'error', 0],
      ['rbac', 'error', 0],
      ['node', 'error', 0],
      ['after', 'skipped', 0],
    ]);
    for (const r of results.slice(0, 5)) expect(r.message).toMatch(/cannot reach the API server|no answer from the API server/);
    expect(results[0]?.message).toContain('ConfigMap shop/app-config');
  });

  describe('custom graders', () => {
    async function graderFile(name: string, source: string): Promise<string> {
      const path = join(scratch, name);
      await writeFile(path, source);
      return path;
    }

    it('passes and fails by what the grader reads through ctx.kube', async () => {
      const grader = await graderFile(
        'mode.ts',
        `export default async function grade(ctx: any) {
          const cm = await ctx.kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'app-config', namespace: 'shop' });
          const mode: string | undefined = cm.data?.mode;
          return mode === ctx.params.mode
            ? { status: 'pass', message: 'mode is ' + mode }
            : { status: 'fail', message: 'mode is ' + mode, path: 'data.mode', expected: ctx.params.mode, actual: mode };
        }
        `,
      );
      const [pass] = await gradeAll([{ grader, with: {} }], { ...ctx, params: { mode: 'prod' } });
      expect(pass).toMatchObject({ status: 'pass', points: 2, message: 'mode is prod' });
      const [fail] = await gradeAll([{ grader, with: {}, timeoutSeconds: 1 }], { ...ctx, params: { mode: 'dev' } });
      expect(fail).toMatchObject({ status: 'fail', points: 0, message: 'mode is prod', path: 'data.mode', expected: 'dev', actual: 'prod' });
    });

    it('makes a grader that throws, or exports nothing to call, an error', async () => {
      const throws = await graderFile('throws.ts', `export default async function grade(): Promise<never> { throw new Error('boom'); }\n`);
      const noDefault = await graderFile('no-default.ts', `export const grade = () => ({ status: 'pass' });\n`);
      const [thrown, empty, missing] = await gradeAll([
        { grader: throws, with: {}, timeoutSeconds: 1 },
        { grader: noDefault, with: {} },
        { grader: join(scratch, 'missing.ts'), with: {} },
      ]);
      expect(thrown).toMatchObject({ status: 'error', points: 0, message: 'grader threw: boom' });
      expect(empty).toMatchObject({ status: 'error', message: `custom grader ${noDefault} has no default export function` });
      expect(missing).toMatchObject({ status: 'error', message: expect.stringContaining('failed to load') });
    });
  });

  it('makes invalid arguments and unknown checks an error that names the field', async () => {
    const [missingName, misspelt, badKind, bothSubjects, unknown] = await gradeAll([
      { id: 'missing-name', check: 'resource.exists', with: { kind: 'ConfigMap', namespace: 'shop' } },
      { id: 'misspelt', check: 'node.ready', with: { nodee: 'node01' } },
      { id: 'bad-kind', check: 'workload.ready', with: { kind: 'Pod', name: 'x' } },
      { id: 'both', check: 'rbac.can', with: { user: 'jane', serviceAccount: 'shop/reader', verb: 'get', resource: 'pods' } },
      { id: 'unknown', check: 'resource.exist', with: {} },
    ]);
    expect(missingName).toMatchObject({ status: 'error', points: 0, message: expect.stringMatching(/^check missing-name: invalid arguments: name: /) });
    expect(misspelt?.message).toMatch(/^check misspelt: invalid arguments: .*node: .*nodee/);
    expect(badKind).toMatchObject({ status: 'error', message: expect.stringMatching(/invalid arguments: kind: /) });
    expect(bothSubjects).toMatchObject({ status: 'error', message: expect.stringContaining('give exactly one of user or serviceAccount') });
    expect(unknown).toMatchObject({ status: 'error', message: 'unknown check "resource.exist" (run kubexam lab validate)' });
  });
});
