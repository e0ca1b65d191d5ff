import { KubexamError } from '../errors.ts';
import { run, type RunOptions, type RunResult } from './run.ts';

const unavailableHint =
  'kind clusters and node images need a working Docker engine. Start Docker (on the kubexam build machines: ' +
  '`sh ../shared/machine/docker-engine.sh` as root), or use the embedded kwok provider, which needs no Docker ' +
  '(`kubexam cluster create NAME`, the default provider).';

/** The docker CLI. Every call is logged and a failure carries docker's stderr. */
export function docker(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run('docker', args, 'DOCKER_FAILED', { timeoutMs: 600_000, ...options }).catch((error: unknown) => {
    if (error instanceof KubexamError && error.code === 'DOCKER_MISSING') {
      throw new KubexamError('DOCKER_MISSING', `the docker CLI is not installed. ${unavailableHint}`, { cause: error });
    }
    throw error;
  });
}

/**
 * The command line of an interactive `docker exec -it` into `container`, for a pty the caller
 * spawns (a terminal tab): not run here, since its output is a live screen, not a result.
 */
export function dockerExecInteractive(container: string, command: readonly string[], options: { env?: Record<string, string>; workdir?: string } = {}): { file: string; args: string[] } {
  const env = Object.entries(options.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  return { file: 'docker', args: ['exec', '-it', ...(options.workdir ? ['-w', options.workdir] : []), ...env, container, ...command] };
}

/**
 * Fails with DOCKER_UNAVAILABLE unless the engine answers; returns its cgroup version, which
 * decides how kind nodes must be configured.
 */
export async function requireDocker(): Promise<{ serverVersion: string; cgroupVersion: string }> {
  const result = await docker(['info', '--format', '{{.ServerVersion}} {{.CgroupVersion}}'], {
    allowFailure: true,
    timeoutMs: 30_000,
  });
  const [serverVersion = '', cgroupVersion = ''] = result.stdout.trim().split(/\s+/);
  if (result.exitCode !== 0 || !serverVersion) {
    const reason = result.stderr.split('\n').find((l) => l.trim()) ?? `docker info exited with ${result.exitCode}`;
    throw new KubexamError('DOCKER_UNAVAILABLE', `the Docker engine is not reachable (${reason.trim()}). ${unavailableHint}`);
  }
  return { serverVersion, cgroupVersion };
}

/** The value of one label of a local image, or undefined when the image is absent. */
export async function imageLabel(image: string, label: string): Promise<string | undefined> {
  const result = await docker(['image', 'inspect', '--format', `{{ index .Config.Labels ${JSON.stringify(label)} }}`, image], {
    allowFailure: true,
  });
  if (result.exitCode !== 0) return undefined;
  const value = result.stdout.trim();
  return value === '' || value === '<no value>' ? undefined : value;
}

/** The ID of a local image, or undefined when it is absent. */
export async function imageId(image: string): Promise<string | undefined> {
  const result = await docker(['image', 'inspect', '--format', '{{.Id}}', image], { allowFailure: true });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}
