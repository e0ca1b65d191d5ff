import { describe, expect, it } from 'vitest';
import { classifyConnection } from './network.ts';
import { primitives } from './index.ts';

describe('network checks', () => {
  // The messages are busybox 1.35 nc's own (Debian bookworm busybox-static), seen on a real run.
  it('tells connected, refused, timed out and unresolvable apart, and a broken probe from all four', () => {
    expect(classifyConnection(0, '')).toBe('connected');
    expect(classifyConnection(1, "nc: can't connect to remote host (10.96.0.12): Connection refused")).toBe('refused');
    expect(classifyConnection(1, 'nc: timed out')).toBe('timeout');
    expect(classifyConnection(143, '')).toBe('timeout');
    expect(classifyConnection(1, "nc: can't connect to remote host (10.244.1.9): No route to host")).toBe('unreachable');
    expect(classifyConnection(1, "nc: bad address 'web.nowhere'")).toBe('no-such-host');
    expect(classifyConnection(127, 'sh: timeout: not found')).toBeUndefined();
    expect(classifyConnection(1, 'something else entirely')).toBeUndefined();
  });

  it('validates from/to and needs the network-traffic capability', () => {
    const reachable = primitives.get('network.reachable');
    expect(reachable?.requires).toEqual(['network-traffic']);
    expect(reachable?.args.safeParse({ from: { namespace: 'a', labels: { app: 'web' } }, to: { host: 'db.b.svc.cluster.local', port: 5432 } })).toMatchObject({
      success: true,
      data: { timeoutSeconds: 4 },
    });
    expect(reachable?.args.safeParse({ from: {}, to: { host: 'x; rm -rf /', port: 80 } }).success).toBe(false);
    expect(reachable?.args.safeParse({ from: {}, to: { host: 'x', port: 70000 } }).success).toBe(false);
    expect(primitives.get('network.blocked')?.args.safeParse({ from: { labels: { 'bad key!': 'x' } }, to: { host: 'x', port: 1 } }).success).toBe(false);
  });

  it('pod.logs takes exactly one of name and selector', () => {
    const logs = primitives.get('pod.logs');
    expect(logs?.requires).toEqual(['pod-logs']);
    expect(logs?.args.safeParse({ name: 'p', matches: 'x' }).success).toBe(true);
    expect(logs?.args.safeParse({ selector: 'app=web', matches: 'x', previous: true }).success).toBe(true);
    expect(logs?.args.safeParse({ name: 'p', selector: 'app=web', matches: 'x' }).success).toBe(false);
    expect(logs?.args.safeParse({ matches: 'x' }).success).toBe(false);
    expect(logs?.args.safeParse({ name: 'p', matches: '(' }).success).toBe(false);
  });
});
