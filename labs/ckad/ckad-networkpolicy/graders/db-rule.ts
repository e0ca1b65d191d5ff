import { ingressRule } from './ingress-rule.ts';

export default ingressRule(
  'db-from-backend',
  'ckad-netpol',
  { from: [{ podSelector: { matchLabels: { app: 'backend' } }, namespaceSelector: null, ipBlock: null }], ports: [{ protocol: 'TCP', port: 6379 }] },
  'db accepts app=backend on TCP 6379',
);
