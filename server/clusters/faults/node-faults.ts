import { z } from 'zod';
import { defineFault } from './types.ts';

/** Faults of nodes. On kwok they are simulated by kwok's own chaos stages; kind does them for real. */

export const nodeNotReady = defineFault({
  name: 'node-not-ready',
  summary: 'make a node stop reporting Ready',
  symptom: 'kubectl get nodes shows the node NotReady; its pods are evicted after the toleration period',
  params: z.strictObject({ node: z.string().min(1) }),
  inject: {
    // kwok's node-not-ready stage (installed with the kwok assets) holds the node NotReady
    // for as long as the label is there.
    kwok: async (target, p) => {
      await target.kubectl(['label', 'node', p.node, 'node-not-ready.stage.kwok.x-k8s.io=true', '--overwrite']);
    },
  },
});
