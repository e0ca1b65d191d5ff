import { z } from 'zod';
import type { CheckOutcome } from '../types.ts';
import { regex } from './args.ts';
import { definePrimitive } from './registry.ts';

const execTimeoutMs = 20_000;

function noNodeAccess(node: string): CheckOutcome {
  return {
    status: 'error',
    message:
      `checking node ${node} needs the node-shell capability (a provider with real nodes, such as kind), and this grading has no node access: ` +
      'grade a cluster kubexam made on kind (kubexam grade --cluster NAME, or its recorded kubeconfig)',
  };
}

/** Single-quoted for sh: the path is the lab's, and may hold spaces. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
}

export const nodeCommand = definePrimitive({
  name: 'node.command',
  summary: 'a shell command on a node exits with exitCode (default 0) and, with stdout, prints output matching that regex',
  requires: ['node-shell'],
  args: z.strictObject({
    node: z.string().min(1),
    run: z.string().min(1),
    exitCode: z.number().int().min(0).default(0),
    stdout: regex.optional(),
  }),
  timeoutSeconds: 15,
  async run({ nodes }, a) {
    if (!nodes) return noNodeAccess(a.node);
    const result = await nodes.exec(a.node, a.run, { timeoutMs: execTimeoutMs });
    const where = `on ${a.node}: ${a.run}`;
    if (result.exitCode !== a.exitCode) {
      const said = firstLine(result.stderr) || firstLine(result.stdout);
      return { status: 'fail', message: `${where} exited with ${result.exitCode}, expected ${a.exitCode}${said ? ` (${said})` : ''}`, path: 'exitCode', expected: a.exitCode, actual: result.exitCode };
    }
    if (a.stdout !== undefined && !new RegExp(a.stdout).test(result.stdout)) {
      return { status: 'fail', message: `${where} printed output not matching /${a.stdout}/`, path: 'stdout', expected: `/${a.stdout}/`, actual: result.stdout };
    }
    return { status: 'pass', message: `${where} succeeded` };
  },
});

export const nodeFile = definePrimitive({
  name: 'node.file',
  summary: 'a file on a node exists (or, with exists: false, does not), optionally with content matching a regex and an octal mode',
  requires: ['node-shell'],
  args: z.strictObject({
    node: z.string().min(1),
    path: z.string().min(1),
    exists: z.boolean().default(true),
    contains: regex.optional(),
    mode: z.string().regex(/^0?[0-7]{3,4}$/, 'an octal mode such as 0644').optional(),
  }),
  timeoutSeconds: 15,
  async run({ nodes }, a) {
    if (!nodes) return noNodeAccess(a.node);
    const what = `${a.node}:${a.path}`;
    const stat = await nodes.exec(a.node, `stat -c %a ${shellQuote(a.path)}`, { timeoutMs: execTimeoutMs });
    const exists = stat.exitCode === 0;
    if (!a.exists) {
      return exists
        ? { status: 'fail', message: `${what} exists, expected it not to`, path: 'exists', expected: false, actual: true }
        : { status: 'pass', message: `${what} does not exist` };
    }
    if (!exists) return { status: 'fail', message: `${what} does not exist`, path: 'exists', expected: true, actual: false };
    if (a.mode !== undefined) {
      const actual = normalMode(stat.stdout.trim());
      const expected = normalMode(a.mode);
      if (actual !== expected) return { status: 'fail', message: `${what} has mode ${actual}, expected ${expected}`, path: 'mode', expected, actual };
    }
    if (a.contains !== undefined) {
      const cat = await nodes.exec(a.node, `cat ${shellQuote(a.path)}`, { timeoutMs: execTimeoutMs });
      if (cat.exitCode !== 0) return { status: 'error', message: `could not read ${what}: ${firstLine(cat.stderr) || `cat exited with ${cat.exitCode}`}` };
      if (!new RegExp(a.contains).test(cat.stdout)) {
        return { status: 'fail', message: `${what} has no content matching /${a.contains}/`, path: 'contains', expected: `/${a.contains}/`, actual: cat.stdout.slice(0, 2000) };
      }
    }
    return { status: 'pass', message: `${what} exists${a.mode ? ` with mode ${normalMode(a.mode)}` : ''}` };
  },
});

/** `600` and `0600` both as `0600`, so labs may write modes either way. */
function normalMode(mode: string): string {
  return mode.replace(/^0(?=[0-7]{3}$)/, '').padStart(4, '0');
}

