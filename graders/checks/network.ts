import { z } from 'zod';
import { probeImage } from '../../server/clusters/images.ts';
import { ProbeFailed, runProbePod } from '../probe-pod.ts';
import type { CheckOutcome } from '../types.ts';
import { definePrimitive, type CheckContext } from './registry.ts';

const labelKey = z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, 'not a valid label key');
const labelValue = z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/, 'not a valid label value').max(63);

const args = z.strictObject({
  /** Where the traffic starts: a probe Pod in this namespace with these labels. */
  from: z.strictObject({
    namespace: z.string().min(1).default('default'),
    labels: z.record(labelKey, labelValue).default({}),
  }),
  /** Where it goes: a DNS name (`web`, `web.shop`, `web.shop.svc.cluster.local`) or an IP, and a TCP port. */
  to: z.strictObject({
    host: z.string().min(1).regex(/^[A-Za-z0-9.:-]+$/, 'a DNS name or an IP address'),
    port: z.number().int().min(1).max(65535),
  }),
  /** Seconds a connection may take before it counts as blocked. */
  timeoutSeconds: z.number().int().min(1).max(60).default(4),
});

type Args = z.infer<typeof args>;

/** How a TCP connection attempt ended, as busybox nc tells it. */
export type Connection = 'connected' | 'timeout' | 'refused' | 'unreachable' | 'no-such-host';

/**
 * The probe: busybox `nc -w` connects (or gives up after the timeout) and runs `true` once
 * connected; `timeout` also bounds the DNS lookup, which a policy blocking port 53 stalls. The
 * host and port are arguments, never parsed by the shell.
 */
function probeCommand(a: Args): string[] {
  // The pause lets NetworkPolicy agents learn the new Pod's address and labels first; without
  // it a policy that should block the probe may not apply to its very first packets yet.
  const script = 'sleep 2; timeout "$1" nc -w "$1" "$2" "$3" -e true';
  return ['sh', '-c', script, 'probe', String(a.timeoutSeconds), a.to.host, String(a.to.port)];
}

/**
 * What an exit code and busybox's message mean. Anything else (sh: not found, a crash) means
 * the probe did not work, and returns undefined.
 */
export function classifyConnection(exitCode: number, message: string): Connection | undefined {
  if (exitCode === 0) return 'connected';
  // 143: `timeout` sent SIGTERM (the DNS lookup or the connect outlasted the timeout).
  if (exitCode === 143 || (exitCode === 1 && /timed out/i.test(message))) return 'timeout';
  if (exitCode !== 1) return undefined;
  if (/connection refused/i.test(message)) return 'refused';
  if (/no route to host|network is unreachable|host is unreachable/i.test(message)) return 'unreachable';
  if (/bad address/i.test(message)) return 'no-such-host';
  return undefined;
}

const said: Record<Connection, string> = {
  connected: 'connected',
  timeout: 'timed out',
  refused: 'was refused',
  unreachable: 'found no route',
  'no-such-host': 'could not resolve the host',
};

async function connect({ kube }: CheckContext, a: Args): Promise<{ connection: Connection; where: string } | CheckOutcome> {
  const labels = Object.entries(a.from.labels).map(([k, v]) => `${k}=${v}`).join(',');
  const where = `from a Pod in ${a.from.namespace}${labels ? ` labelled ${labels}` : ''} to ${a.to.host}:${a.to.port}`;
  try {
    const result = await runProbePod(kube, {
      namespace: a.from.namespace,
      labels: a.from.labels,
      image: probeImage,
      command: probeCommand(a),
      runSeconds: a.timeoutSeconds + 7,
    });
    const connection = classifyConnection(result.exitCode, result.message);
    if (!connection) return { status: 'error', message: `the probe ${where} did not run as expected: exit ${result.exitCode}${result.message ? ` (${result.message})` : ''}` };
    return { connection, where };
  } catch (error) {
    if (error instanceof ProbeFailed) return { status: 'error', message: error.message };
    throw error;
  }
}

export const networkReachable = definePrimitive({
  name: 'network.reachable',
  summary: 'a Pod with the given labels in the given namespace can open a TCP connection to host:port',
  requires: ['network-traffic'],
  args,
  timeoutSeconds: 30,
  async run(ctx, a) {
    const outcome = await connect(ctx, a);
    if ('status' in outcome) return outcome;
    const { connection, where } = outcome;
    return connection === 'connected'
      ? { status: 'pass', message: `a connection ${where} succeeded` }
      : { status: 'fail', message: `a connection ${where} ${said[connection]}`, path: 'to', expected: 'connected', actual: connection };
  },
});

export const networkBlocked = definePrimitive({
  name: 'network.blocked',
  summary: 'a Pod with the given labels in the given namespace cannot open a TCP connection to host:port (timeout or refusal)',
  requires: ['network-traffic'],
  args,
  timeoutSeconds: 30,
  async run(ctx, a) {
    const outcome = await connect(ctx, a);
    if ('status' in outcome) return outcome;
    const { connection, where } = outcome;
    return connection === 'connected'
      ? { status: 'fail', message: `a connection ${where} succeeded, expected it to be blocked`, path: 'to', expected: 'blocked', actual: connection }
      : { status: 'pass', message: `a connection ${where} ${said[connection]}: blocked` };
  },
});
