import { describe, expect, it } from 'vitest';
import type { ClusterProvider, ClusterSpec } from '../clusters/provider.ts';
import { KubexamError } from '../errors.ts';
import { silentProgress } from '../progress.ts';
import { testLab } from './author-test.ts';
import { loadLibrary } from './library.ts';
import { builtinLabsDir } from './select.ts';

describe('testLab', () => {
  it('tries to make the cluster once more when creation fails, under a new name, then reports the failure', async () => {
    const { library } = await loadLibrary([`${builtinLabsDir}cka/cka-static-pod`]);
    const loaded = library.labs.get('cka-static-pod');
    if (!loaded) throw new Error('cka-static-pod not found');
    const asked: ClusterSpec[] = [];
    const provider: ClusterProvider = {
      name: 'kind',
      capabilities: new Set(['node-shell', 'container-runtime']),
      create: async (spec) => {
        asked.push(spec);
        throw new KubexamError('CLUSTER_CREATE_FAILED', `kubeadm join timed out (${asked.length})`);
      },
      delete: async () => undefined,
      list: async () => [],
      get: async () => undefined,
    };
    const result = await testLab(loaded, library, { provider, kubectlBinary: 'kubectl', seed: 's', budgetSeconds: 1, keepCluster: false, progress: silentProgress });
    expect(asked).toHaveLength(2);
    expect(asked[0]?.name).not.toBe(asked[1]?.name);
    expect(asked[1]).toMatchObject({ controlPlanes: 1, workers: 1 });
    expect(result.problems).toEqual([expect.stringMatching(/kubeadm join timed out \(2\)/)]);
  });
});
