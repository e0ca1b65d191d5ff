import { describe, expect, it } from 'vitest';
import type { NodeAccess } from '../../server/clusters/node-access.ts';
import type { KubeClient } from '../kube.ts';
import { primitives, type CheckContext } from './index.ts';

/** A node whose shell answers from a table of command -> result, recording what it was asked. */
function fakeNodes(answers: Record<string, { exitCode: number; stdout?: string; stderr?: string }>): NodeAccess & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async exec(node, command) {
      asked.push(`${node}: ${command}`);
      const answer = answers[command] ?? { exitCode: 127, stderr: 'sh: not found' };
      return { exitCode: answer.exitCode, stdout: answer.stdout ?? '', stderr: answer.stderr ?? '' };
    },
  };
}

function check(name: string, args: unknown, nodes?: NodeAccess) {
  const primitive = primitives.get(name);
  if (!primitive) throw new Error(`no primitive ${name}`);
  const ctx: CheckContext = { kube: {} as KubeClient, params: {}, nodes };
  return primitive.run(ctx, primitive.args.parse(args));
}

describe('node.command', () => {
  it('passes on the expected exit code and output', async () => {
    const nodes = fakeNodes({ 'systemctl is-active kubelet': { exitCode: 0, stdout: 'active' } });
    expect(await check('node.command', { node: 'node01', run: 'systemctl is-active kubelet', stdout: '^active$' }, nodes)).toMatchObject({ status: 'pass' });
    expect(nodes.asked).toEqual(['node01: systemctl is-active kubelet']);
  });

  it('fails with expected and actual on a wrong exit code or output', async () => {
    const nodes = fakeNodes({ a: { exitCode: 3, stderr: 'inactive' }, b: { exitCode: 0, stdout: 'active' } });
    expect(await check('node.command', { node: 'node01', run: 'a' }, nodes)).toMatchObject({ status: 'fail', path: 'exitCode', expected: 0, actual: 3, message: expect.stringContaining('(inactive)') });
    expect(await check('node.command', { node: 'node01', run: 'b', stdout: 'inactive' }, nodes)).toMatchObject({ status: 'fail', path: 'stdout', expected: '/inactive/', actual: 'active' });
  });

  it('is an error, naming the node-shell capability, without node access', async () => {
    expect(await check('node.command', { node: 'node01', run: 'true' })).toMatchObject({ status: 'error', message: expect.stringContaining('node-shell') });
  });

  it('refuses an invalid regex', () => {
    expect(primitives.get('node.command')?.args.safeParse({ node: 'n', run: 'x', stdout: '(' }).success).toBe(false);
  });
});

describe('node.file', () => {
  const path = "/etc/my file's.conf";
  const quoted = `'/etc/my file'\\''s.conf'`;

  it('checks existence, mode and content, quoting the path for the shell', async () => {
    const nodes = fakeNodes({ [`stat -c %a ${quoted}`]: { exitCode: 0, stdout: '600' }, [`cat ${quoted}`]: { exitCode: 0, stdout: 'key: value\n' } });
    expect(await check('node.file', { node: 'node01', path, mode: '0600', contains: '^key:' }, nodes)).toMatchObject({ status: 'pass' });
    expect(await check('node.file', { node: 'node01', path, mode: '600' }, nodes)).toMatchObject({ status: 'pass' });
    expect(await check('node.file', { node: 'node01', path, mode: '0644' }, nodes)).toMatchObject({ status: 'fail', path: 'mode', expected: '0644', actual: '0600' });
    expect(await check('node.file', { node: 'node01', path, contains: 'other' }, nodes)).toMatchObject({ status: 'fail', path: 'contains', actual: 'key: value\n' });
    expect(await check('node.file', { node: 'node01', path, exists: false }, nodes)).toMatchObject({ status: 'fail', path: 'exists', expected: false, actual: true });
  });

  it('fails for a missing file, passes when it must be absent', async () => {
    const nodes = fakeNodes({});
    expect(await check('node.file', { node: 'node01', path: '/nope' }, nodes)).toMatchObject({ status: 'fail', path: 'exists', expected: true, actual: false });
    expect(await check('node.file', { node: 'node01', path: '/nope', exists: false }, nodes)).toMatchObject({ status: 'pass' });
  });

  it('is an error without node access', async () => {
    expect(await check('node.file', { node: 'node01', path: '/etc/hostname' })).toMatchObject({ status: 'error', message: expect.stringContaining('node-shell') });
  });
});
