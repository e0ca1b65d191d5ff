import { ingressRule } from './ingress-rule.ts';

export default ingressRule(
  'backend-from-frontend',
  'ckad-netpol',
  { from: [{ podSelector: { matchLabels: { app: 'frontend' } }, namespaceSelector: null, ipBlock: null }], ports: [{ protocol: 'TCP', port: 80 }] },
  'backend accepts app=frontend on TCP 80',
);
