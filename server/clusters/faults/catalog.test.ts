import { describe, expect, it } from 'vitest';
import { faults } from './catalog.ts';

/** The names and params other parts rely on (labs' `setup: - fault:`, `kubexam lab validate`, the bench). */
describe('fault catalog', () => {
  const nodeFaults = ['node-not-ready', 'kubelet-stopped', 'kubelet-misconfigured', 'containerd-stopped', 'cni-config-removed', 'kubelet-wrong-apiserver'];

  it('has the agreed node faults, each taking exactly a node', () => {
    for (const name of nodeFaults) {
      const fault = faults.get(name);
      expect(fault, name).toBeDefined();
      expect(fault?.params.safeParse({ node: 'node01' }).success).toBe(true);
      expect(fault?.params.safeParse({}).success).toBe(false);
      expect(fault?.params.safeParse({ node: 'node01', nod: 'x' }).success).toBe(false);
      expect(Object.keys(fault?.inject ?? {})).toContain('kind');
    }
  });

  it('has static-pod-broken for the scheduler and the controller manager only', () => {
    const params = faults.get('static-pod-broken')?.params;
    expect(params?.safeParse({ component: 'kube-scheduler' }).success).toBe(true);
    expect(params?.safeParse({ component: 'kube-controller-manager' }).success).toBe(true);
    expect(params?.safeParse({ component: 'kube-apiserver' }).success).toBe(false);
    expect(params?.safeParse({}).success).toBe(false);
  });

  it('has coredns-broken and kube-proxy-broken without params', () => {
    for (const name of ['coredns-broken', 'kube-proxy-broken']) {
      expect(faults.get(name)?.params.safeParse({}).success, name).toBe(true);
      expect(faults.get(name)?.params.safeParse({ node: 'node01' }).success, name).toBe(false);
    }
  });

  it('only node-not-ready of the node faults exists on kwok, where nothing runs on nodes', () => {
    const onKwok = [...faults.values()].filter((f) => f.inject.kwok).map((f) => f.name);
    expect(onKwok).toContain('node-not-ready');
    for (const name of [...nodeFaults.filter((n) => n !== 'node-not-ready'), 'static-pod-broken', 'coredns-broken', 'kube-proxy-broken']) expect(onKwok).not.toContain(name);
  });

  it('gives every fault a probe with an expected time, and a repair wherever it can be injected unless it says why not', () => {
    for (const fault of faults.values()) {
      expect(fault.probe.withinSeconds, fault.name).toBeGreaterThan(0);
      expect(fault.probe.polls, fault.name).not.toBe('');
      for (const provider of Object.keys(fault.inject)) {
        if (!fault.repairGap) expect(Object.keys(fault.repair), `${fault.name} on ${provider}`).toContain(provider);
      }
    }
  });
});
