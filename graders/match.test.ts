import { describe, expect, it } from 'vitest';
import { match } from './match.ts';

const deployment = {
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' } },
  spec: {
    replicas: 3,
    paused: false,
    template: {
      spec: {
        containers: [
          { name: 'sidecar', image: 'busybox:1.36', ports: [{ name: 'metrics', containerPort: 9090, protocol: 'TCP' }] },
          {
            name: 'web',
            image: 'nginx:1.27',
            resources: { requests: { memory: '1Gi', cpu: '100m' }, limits: { memory: '2Gi', cpu: '1' } },
            ports: [
              { name: 'http', containerPort: 80, protocol: 'TCP' },
              { name: 'dns', containerPort: 53, protocol: 'UDP' },
              { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
            ],
          },
        ],
        tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'Exists' }],
      },
    },
  },
};

describe('match', () => {
  it('ignores fields the expectation leaves out', () => {
    expect(match({ metadata: { name: 'web' } }, deployment)).toEqual({ ok: true });
    expect(match({}, deployment)).toEqual({ ok: true });
  });

  it('picks array items by key, never by position', () => {
    const want = { spec: { template: { spec: { 'containers[name=web]': { image: 'nginx:1.27' } } } } };
    expect(match(want, deployment)).toEqual({ ok: true });
    const sidecar = { spec: { template: { spec: { 'containers[name=sidecar]': { image: 'busybox:1.36' } } } } };
    expect(match(sidecar, deployment)).toEqual({ ok: true });
  });

  it('reports path, expected and actual for a keyed item that differs', () => {
    const want = { spec: { template: { spec: { 'containers[name=web]': { image: 'nginx:1.28' } } } } };
    expect(match(want, deployment)).toEqual({
      ok: false,
      path: 'spec.template.spec.containers[name=web].image',
      expected: 'nginx:1.28',
      actual: 'nginx:1.27',
      reason: 'differs',
    });
  });

  it('reports a keyed item that does not exist', () => {
    const result = match({ spec: { template: { spec: { 'containers[name=api]': { image: 'x' } } } } }, deployment);
    expect(result).toMatchObject({ ok: false, path: 'spec.template.spec.containers[name=api]', reason: 'no such item', actual: undefined });
  });

  it('selects by several keys at once, comparing non-string values as text', () => {
    const container = deployment.spec.template.spec.containers[1];
    expect(match({ 'ports[containerPort=53,protocol=TCP]': { name: 'dns-tcp' } }, container)).toEqual({ ok: true });
    expect(match({ 'ports[containerPort=53, protocol=UDP]': { name: 'dns' } }, container)).toEqual({ ok: true });
    expect(match({ 'ports[containerPort=53,protocol=SCTP]': { name: 'dns' } }, container)).toMatchObject({ ok: false, reason: 'no such item' });
  });

  it('matches a plain expected array as an unordered subset', () => {
    const tolerations = deployment.spec.template.spec;
    expect(match({ tolerations: [{ key: 'b' }, { key: 'a' }] }, tolerations)).toEqual({ ok: true });
    expect(match({ tolerations: [{ key: 'b' }] }, tolerations)).toEqual({ ok: true });
    expect(match({ tolerations: [{ key: 'c' }] }, tolerations)).toMatchObject({ ok: false, path: 'tolerations', expected: { key: 'c' }, reason: 'has no item matching' });
  });

  it('uses each actual item for one expected item only', () => {
    expect(match({ tolerations: [{ operator: 'Exists' }, { operator: 'Exists' }] }, deployment.spec.template.spec)).toEqual({ ok: true });
    expect(match({ tolerations: [{ operator: 'Exists' }, { operator: 'Exists' }, { operator: 'Exists' }] }, deployment.spec.template.spec)).toMatchObject({
      ok: false,
    });
  });

  it('reads null as "must be absent"', () => {
    expect(match({ spec: { strategy: null } }, deployment)).toEqual({ ok: true });
    expect(match({ metadata: { labels: { tier: null } } }, deployment)).toEqual({
      ok: false,
      path: 'metadata.labels.tier',
      expected: null,
      actual: 'front',
      reason: 'should be absent',
    });
  });

  it('reads null on a keyed item as "no such item"', () => {
    const podSpec = deployment.spec.template.spec;
    expect(match({ 'containers[name=debug]': null }, podSpec)).toEqual({ ok: true });
    expect(match({ 'initContainers[name=debug]': null }, podSpec)).toEqual({ ok: true });
    expect(match({ 'containers[name=sidecar]': null }, podSpec)).toMatchObject({
      ok: false,
      path: 'containers[name=sidecar]',
      expected: null,
      reason: 'should be absent',
    });
  });

  it('compares quantities by value', () => {
    const resources = deployment.spec.template.spec.containers[1]?.resources;
    expect(match({ requests: { memory: '1024Mi', cpu: '0.1' }, limits: { memory: '2048Mi', cpu: '1000m' } }, resources)).toEqual({ ok: true });
    expect(match({ requests: { memory: '1G' } }, resources)).toMatchObject({ ok: false, path: 'requests.memory', expected: '1G', actual: '1Gi' });
  });

  it('compares numbers and numeric strings by value', () => {
    expect(match({ spec: { replicas: '3' } }, deployment)).toEqual({ ok: true });
    expect(match({ replicas: 3 }, { replicas: '3' })).toEqual({ ok: true });
    expect(match({ spec: { replicas: 4 } }, deployment)).toMatchObject({ ok: false, path: 'spec.replicas', expected: 4, actual: 3 });
  });

  it('compares booleans strictly', () => {
    expect(match({ spec: { paused: false } }, deployment)).toEqual({ ok: true });
    expect(match({ spec: { paused: 'false' } }, deployment)).toMatchObject({ ok: false, path: 'spec.paused' });
    expect(match({ enabled: true }, { enabled: 'true' })).toMatchObject({ ok: false });
    expect(match({ enabled: true }, { enabled: 1 })).toMatchObject({ ok: false });
    expect(match({ count: 0 }, { count: false })).toMatchObject({ ok: false });
  });

  it('says a missing field is missing', () => {
    expect(match({ spec: { serviceName: 'web' } }, deployment)).toEqual({
      ok: false,
      path: 'spec.serviceName',
      expected: 'web',
      actual: undefined,
      reason: 'is missing',
    });
    expect(match({ status: { readyReplicas: 3 } }, deployment)).toMatchObject({ ok: false, path: 'status', reason: 'is missing' });
  });

  it('does not take text that is not a quantity as equal', () => {
    expect(match({ image: 'nginx' }, { image: 'nginx:1.27' })).toMatchObject({ ok: false });
    expect(match({ name: 'web' }, { name: 'web' })).toEqual({ ok: true });
  });

  it('names the root when the whole value differs', () => {
    expect(match({ a: 1 }, 'text')).toMatchObject({ ok: false, path: '(root)', reason: 'is not an object' });
    expect(match([1], { a: 1 })).toMatchObject({ ok: false, path: '(root)', reason: 'is not a list' });
  });
});
