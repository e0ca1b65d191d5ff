import { describe, expect, it } from 'vitest';
import type { ProviderName } from '../clusters/provider.ts';
import { KubexamError } from '../errors.ts';
import type { LoadedLab } from './load.ts';
import { labSchema, type Capability } from './schema.ts';
import { parseParamFlags, planTests, type TestPlanOptions } from './test-plan.ts';
import { YamlSource } from './yaml-source.ts';

function lab(id: string, requires: Capability[] = [], params: Record<string, unknown> = {}): LoadedLab {
  const value = labSchema.parse({
    apiVersion: 'kubexam.dev/v1',
    kind: 'Lab',
    metadata: { id, title: id, curriculum: 'cka', domain: 'troubleshooting', points: 1, minutes: 1 },
    cluster: { requires },
    params,
    task: 't',
    checks: [{ id: 'c', points: 1, check: 'node.ready', with: { node: 'node01' } }],
    solution: [{ run: 'true' }],
  });
  return { value, file: `/labs/${id}/lab.yaml`, dir: `/labs/${id}`, source: YamlSource.parse('{}', `/labs/${id}/lab.yaml`) };
}

const kindCapabilities = new Set<Capability>(['node-shell', 'container-runtime', 'pod-logs', 'pod-exec']);

/** Providers as in kubexam, with a record of which were opened. */
function providers(overrides: Partial<TestPlanOptions> = {}) {
  const openedProviders: ProviderName[] = [];
  const options: TestPlanOptions = {
    providers: ['kwok', 'kind'],
    capabilitiesOf: async (name) => {
      openedProviders.push(name);
      return name === 'kwok' ? new Set() : kindCapabilities;
    },
    params: new Map(),
    ...overrides,
  };
  return { options, openedProviders };
}

const labs = [lab('api-only'), lab('node-shell', ['node-shell']), lab('traffic', ['network-traffic']), lab('cause', ['node-shell'], { cause: { pick: ['a', 'b', 'c'] } })];

describe('planTests', () => {
  it('puts each lab on the lightest provider with what it requires, and fails the one no provider can run', async () => {
    const { tests, leftOut } = await planTests(labs, providers().options);
    expect(leftOut).toEqual([]);
    expect(tests.map((t) => [t.loaded.value.metadata.id, t.provider ?? t.problem])).toEqual([
      ['api-only', 'kwok'],
      ['node-shell', 'kind'],
      ['traffic', expect.stringMatching(/lab traffic requires network-traffic, which no provider offers \(kwok lacks network-traffic; kind lacks network-traffic\)/)],
      ['cause', 'kind'],
    ]);
  });

  it('with --provider, puts every lab there (testLab then fails those it cannot run), opening no provider to choose', async () => {
    const { options, openedProviders } = providers({ forced: 'kwok' });
    const { tests } = await planTests(labs, options);
    expect(tests.map((t) => t.provider)).toEqual(['kwok', 'kwok', 'kwok', 'kwok']);
    expect(tests.every((t) => t.problem === undefined)).toBe(true);
    expect(openedProviders).toEqual([]);
  });

  it('with --only kwok, keeps the kwok labs and lists the rest as left out, without opening kind', async () => {
    const { options, openedProviders } = providers({ only: 'kwok' });
    const { tests, leftOut } = await planTests(labs, options);
    expect(tests.map((t) => t.loaded.value.metadata.id)).toEqual(['api-only']);
    expect(leftOut.map((l) => l.labId)).toEqual(['node-shell', 'traffic', 'cause']);
    expect(leftOut[0]?.reason).toBe('needs more than kwok (node-shell)');
    expect(openedProviders).not.toContain('kind');
  });

  it('with --only kind, keeps the kind labs and the ones nothing can run (as failures)', async () => {
    const { tests, leftOut } = await planTests(labs, providers({ only: 'kind' }).options);
    expect(tests.map((t) => t.loaded.value.metadata.id)).toEqual(['node-shell', 'traffic', 'cause']);
    expect(tests[1]?.problem).toMatch(/no provider offers/);
    expect(leftOut).toEqual([{ labId: 'api-only', reason: 'runs on kwok' }]);
  });

  it('with --only kind --provider kind, runs only the kind labs, on kind', async () => {
    const { tests, leftOut } = await planTests(labs, providers({ only: 'kind', forced: 'kind' }).options);
    expect(tests.map((t) => [t.loaded.value.metadata.id, t.provider, t.problem])).toEqual([
      ['node-shell', 'kind', undefined],
      ['traffic', 'kind', undefined],
      ['cause', 'kind', undefined],
    ]);
    expect(leftOut.map((l) => l.labId)).toEqual(['api-only']);
  });

  it('fails a lab whose provider cannot be opened, saying why', async () => {
    const { options } = providers({
      capabilitiesOf: async (name) => {
        if (name === 'kind') throw new KubexamError('DOCKER_MISSING', 'Docker does not answer');
        return new Set();
      },
    });
    const { tests } = await planTests([lab('node-shell', ['node-shell'])], options);
    expect(tests[0]?.problem).toMatch(/needs the kind provider \(node-shell\), which cannot be opened here: .*Docker does not answer/);
  });

  it('tests a lab once per forced value of a param it declares; others run once', async () => {
    const { tests } = await planTests(labs, providers({ params: parseParamFlags(['cause=a', 'cause=c']) }).options);
    expect(tests.map((t) => [t.loaded.value.metadata.id, t.params])).toEqual([
      ['api-only', {}],
      ['node-shell', {}],
      ['traffic', {}],
      ['cause', { cause: 'a' }],
      ['cause', { cause: 'c' }],
    ]);
  });

  it('refuses a --param no lab under test declares', async () => {
    await expect(planTests(labs, providers({ params: parseParamFlags(['caus=a']) }).options)).rejects.toThrow(/--param caus: no lab under test declares this param/);
  });
});

describe('parseParamFlags', () => {
  it('groups values by name, once each, in order', () => {
    expect([...parseParamFlags(['a=1', 'b=x=y', 'a=2', 'a=1', 'c='])]).toEqual([
      ['a', ['1', '2']],
      ['b', ['x=y']],
      ['c', ['']],
    ]);
  });

  it('refuses a flag that is not name=value', () => {
    expect(() => parseParamFlags(['cause'])).toThrow(/--param cause: write it as name=value/);
  });
});
