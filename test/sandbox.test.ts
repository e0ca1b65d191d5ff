import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterInfo } from '../server/clusters/provider.ts';
import { run } from '../server/exec/run.ts';
import { SANDBOX_HOME, sandboxAvailable, sandboxCommand, writeSandboxKubeconfig, type SandboxSpec } from '../server/terminal/sandbox.ts';
import { createCluster, testEnv, type TestEnv } from './support/kwok.ts';

let env: TestEnv;
let cluster: ClusterInfo;
let dir: string;
let spec: SandboxSpec;

beforeAll(async () => {
  env = await testEnv();
  cluster = await createCluster(env, 'sandbox', 1);
  dir = await mkdtemp(join(tmpdir(), 'kubexam-sandbox-'));
  await mkdir(join(dir, 'data', 'secrets'), { recursive: true });
  await writeFile(join(dir, 'data', 'secrets', 'token'), 'top-secret\n');
  await mkdir(join(dir, 'home'));
  const kubeconfig = join(dir, 'data', 'candidate-kubeconfig');
  await writeSandboxKubeconfig({ kubectl: env.kubectl, source: cluster.kubeconfig, dest: kubeconfig });
  spec = {
    kubeconfig,
    kubectl: env.kubectl,
    home: join(dir, 'home'),
    hide: [join(dir, 'data'), env.config.dataDir, env.config.cacheDir, '/usr/share/doc'],
  };
});

afterAll(async () => {
  await env?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs a script in the sandboxed shell, non-interactively. */
async function inSandbox(script: string, overrides: Partial<SandboxSpec> = {}) {
  const command = sandboxCommand({ ...spec, ...overrides });
  return run(command.file, [...command.args, '-c', script], 'SANDBOX_TEST', { env: command.env, allowFailure: true, timeoutMs: 30_000 });
}

describe('candidate sandbox (bubblewrap)', () => {
  it('is available on this machine', async () => {
    expect(await sandboxAvailable()).toBe(true);
    expect(await sandboxAvailable('/nonexistent/bwrap')).toBe(false);
  });

  it('cannot read the hidden data directory, the cluster files or /root', async () => {
    const secret = join(dir, 'data', 'secrets', 'token');
    const result = await inSandbox(
      `cat ${secret}; ls ${join(dir, 'data')}; cat ${cluster.kubeconfig}; ls /root; ls ${env.config.cacheDir}; ls /work /var /run /srv 2>&1 | head -5; echo done`,
    );
    expect(result.stdout).not.toContain('top-secret');
    expect(result.stdout).not.toContain('client-key');
    expect(result.stdout.trim().split('\n').at(-1)).toBe('done');
    expect(result.stderr).toMatch(/cannot access '\/root': No such file or directory/);
    expect(result.stderr).toMatch(new RegExp(`${cluster.kubeconfig}: No such file or directory`));
  });

  it('covers a hidden directory that would otherwise be visible', async () => {
    const shown = await inSandbox('ls /usr/share/doc | wc -l', { hide: [] });
    const hidden = await inSandbox('ls /usr/share/doc | wc -l; touch /usr/share/doc/x');
    expect(Number(shown.stdout)).toBeGreaterThan(0);
    expect(hidden.stdout.trim()).toBe('0');
    expect(hidden.stderr).toMatch(/Read-only file system/);
  });

  it('sees no host process', async () => {
    const result = await inSandbox(`ls /proc | grep -E '^[0-9]+$' | wc -l; test -e /proc/${process.pid}/cmdline && echo host-visible; echo $$`);
    const [count, ...rest] = result.stdout.trim().split('\n');
    expect(Number(count)).toBeLessThan(10);
    expect(rest).not.toContain('host-visible');
    expect(Number(rest.at(-1))).toBeLessThan(10);
  });

  it('has a read-only system, its own /tmp, a writable home and a minimal environment', async () => {
    // The shell's environment as it was started (a non-interactive bash drops PS1 at once).
    const result = await inSandbox(
      'touch /etc/x /usr/x /x 2>&1 | wc -l; touch /tmp/x ~/notes && echo writable; tr "\\0" "\\n" < /proc/$$/environ | cut -d= -f1 | sort | tr "\\n" " "; echo; hostname',
    );
    const [readOnly, writable, names, hostname] = result.stdout.trim().split('\n');
    expect(readOnly).toBe('3');
    expect(writable).toBe('writable');
    expect(names?.trim().split(' ')).toEqual(['HOME', 'KUBECONFIG', 'LANG', 'PATH', 'PS1', 'PWD', 'SHELL', 'TERM']);
    expect(hostname).toBe('controlplane');
    expect(await readFile(join(dir, 'home', 'notes'), 'utf8')).toBe('');
  });

  it('sees its own kubeconfig, read-only, and kubectl reaches the cluster', async () => {
    const result = await inSandbox('echo $KUBECONFIG; which kubectl; echo x >> ~/.kube/config || echo read-only; kubectl get nodes -o name');
    const lines = result.stdout.trim().split('\n');
    expect(lines.slice(0, 3)).toEqual([`${SANDBOX_HOME}/.kube/config`, '/usr/local/bin/kubectl', 'read-only']);
    expect(lines.slice(3)).toEqual(['node/controlplane', 'node/node01']);
    expect(result.exitCode).toBe(0);
    const inside = await inSandbox('cat ~/.kube/config');
    expect(inside.stdout.trim()).toBe((await readFile(spec.kubeconfig, 'utf8')).trim());
    expect(inside.stdout).toContain('client-key-data');
  });

  it('gives an interactive shell with the exam prompt where Ctrl-C interrupts', { timeout: 30_000 }, async () => {
    const command = sandboxCommand(spec);
    const pty = spawn(command.file, command.args, { env: command.env, cols: 100, rows: 30 });
    let output = '';
    pty.onData((data) => {
      output += data;
    });
    const text = () => output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    const until = async (pattern: RegExp, ms = 10_000) => {
      const deadline = Date.now() + ms;
      while (!pattern.test(text())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}: ${JSON.stringify(text().slice(-300))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await until(/candidate@controlplane:~\$ $/);
      pty.write('kubectl get nodes\r');
      await until(/controlplane\s+Ready/);
      pty.write('sleep 30\r');
      await new Promise((r) => setTimeout(r, 300));
      const interrupted = Date.now();
      pty.write('\x03');
      await until(/\^C\r\ncandidate@controlplane:~\$ $/);
      expect(Date.now() - interrupted).toBeLessThan(2_000);
    } finally {
      pty.kill();
    }
  });
});

describe('candidate sandbox with its own network (apiRelay)', () => {
  it('reaches its own API server through the relay and nothing else on the host', async () => {
    const { startApiRelay } = await import('../server/terminal/api-relay.ts');
    const { kubeconfigServer } = await import('../server/terminal/sandbox.ts');
    const { createServer } = await import('node:net');
    // A service on the host's loopback, as another session's etcd would be.
    // The shell closes its end at once; a reset is expected, not an error.
    const hostService = createServer((c) => {
      c.on('error', () => undefined);
      c.end('host-secret\n');
    });
    await new Promise<void>((r) => hostService.listen(0, '127.0.0.1', r));
    const hostPort = (hostService.address() as { port: number }).port;
    const socket = join(dir, 'api.sock');
    const relay = await startApiRelay(socket, await kubeconfigServer(env.kubectl, cluster.kubeconfig));
    const kubeconfig = join(dir, 'data', 'relay-kubeconfig');
    await writeSandboxKubeconfig({ kubectl: env.kubectl, source: cluster.kubeconfig, dest: kubeconfig, server: 'https://127.0.0.1:6443' });
    try {
      const script = `for i in 1 2 3 4 5 6 7 8 9 10; do kubectl get nodes -o name 2>/dev/null && break; sleep 0.2; done; exec 3<>/dev/tcp/127.0.0.1/${hostPort} && echo reached-host || echo host-unreachable`;
      const result = await inSandbox(script, { kubeconfig, apiRelay: { socket, port: 6443 } });
      expect(result.stdout).toContain('node/node01');
      expect(result.stdout).toContain('host-unreachable');
      expect(result.stdout).not.toContain('reached-host');
      // Without the relay the same shell shares the host's network, and reaches the service.
      const shared = await inSandbox(`exec 3<>/dev/tcp/127.0.0.1/${hostPort} && echo reached-host`);
      expect(shared.stdout).toContain('reached-host');
    } finally {
      await relay.close();
      hostService.close();
    }
  });
});
