import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { run } from '../server/exec/run.ts';
import type { ShellCheck } from './shell-grader.ts';

export interface ShellResult {
  key: string;
  pass: boolean;
  /** What the script printed (on failure: the value it saw and the one it wanted). */
  detail: string;
}

export interface ShellRun {
  results: ShellResult[];
  /** kubectl processes started, when the run counted them; otherwise undefined. */
  kubectlProcesses?: number;
}

/**
 * The generated grader on disk: one script per check, and `grade.sh`, which runs them one after
 * another with bash (as CK-X and Killercoda run their validation scripts) and prints a line
 * `PASS|FAIL <tab> key <tab> output` per check.
 */
export class ShellGrader {
  private constructor(
    readonly dir: string,
    private readonly checks: readonly ShellCheck[],
    private readonly kubectl: string,
    private readonly kubeCacheDir: string,
  ) {}

  static async write(dir: string, checks: readonly ShellCheck[], kubectl: string, kubeCacheDir: string): Promise<ShellGrader> {
    await rm(dir, { recursive: true, force: true });
    await mkdir(join(dir, 'checks'), { recursive: true });
    const files = checks.map((c, i) => `${String(i + 1).padStart(3, '0')}-${c.key.replace(/[^a-zA-Z0-9-]+/g, '--')}.sh`);
    await Promise.all(checks.map((c, i) => writeFile(join(dir, 'checks', files[i] as string), c.script, { mode: 0o755 })));
    const driver = [
      '#!/usr/bin/env bash',
      '# Runs every check script in order; KUBECONFIG and PATH (pinned kubectl first) come from the caller.',
      'cd "$(dirname "$0")/checks"',
      ...checks.map((c, i) => `if out=$(bash ${files[i]} 2>&1); then r=PASS; else r=FAIL; fi; out=\${out//[$'\\t\\n']/ }; printf '%s\\t%s\\t%s\\n' "$r" '${c.key}' "$out"`),
      '',
    ].join('\n');
    await writeFile(join(dir, 'grade.sh'), driver, { mode: 0o755 });
    return new ShellGrader(dir, checks, kubectl, kubeCacheDir);
  }

  /**
   * Runs `grade.sh` against the cluster. With `countKubectl`, a shim named kubectl comes first
   * on PATH and logs each start before exec'ing the pinned binary: that run is for counting and
   * checking, never for timing.
   */
  async run(kubeconfig: string, countKubectl = false): Promise<ShellRun> {
    const binDir = countKubectl ? await this.shim() : dirname(this.kubectl);
    const countFile = join(this.dir, 'kubectl-starts.log');
    await rm(countFile, { force: true });
    const { stdout } = await run('bash', [join(this.dir, 'grade.sh')], 'BENCH_SHELL_GRADER_FAILED', {
      timeoutMs: 600_000,
      env: {
        KUBECONFIG: kubeconfig,
        // kubectl's discovery cache, private to the bench (warmed by the first, untimed run).
        KUBECACHEDIR: this.kubeCacheDir,
        PATH: `${binDir}${delimiter}${process.env['PATH'] ?? ''}`,
        KUBEXAM_BENCH_KUBECTL_LOG: countFile,
      },
    });
    const results = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [status, key, detail] = line.split('\t');
        return { key: key ?? '', pass: status === 'PASS', detail: detail?.trim() ?? '' };
      });
    if (results.length !== this.checks.length) throw new Error(`shell grader printed ${results.length} results for ${this.checks.length} checks:\n${stdout}`);
    if (!countKubectl) return { results };
    const log = await readFile(countFile, 'utf8').catch(() => '');
    return { results, kubectlProcesses: log.split('\n').filter(Boolean).length };
  }

  private async shim(): Promise<string> {
    const dir = join(this.dir, 'counting-bin');
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'kubectl');
    await writeFile(path, `#!/bin/sh\necho x >> "$KUBEXAM_BENCH_KUBECTL_LOG"\nexec '${this.kubectl}' "$@"\n`);
    await chmod(path, 0o755);
    return dir;
  }
}
