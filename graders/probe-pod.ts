import { KubeUnavailable, NotFound, type KubeClient, type KubeObject } from './kube.ts';

/** The label every probe Pod carries besides the lab's, so they can be told apart and cleaned up. */
export const probeLabel = 'kubexam.dev/probe';

/** A probe Pod could not run (image missing, namespace missing, refused by admission): we cannot tell. */
export class ProbeFailed extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProbeFailed';
  }
}

export interface ProbeSpec {
  namespace: string;
  /** The Pod's labels: NetworkPolicy selectors apply to the probe as to the lab's own pods. */
  labels: Readonly<Record<string, string>>;
  image: string;
  command: readonly string[];
  /** How long the command may run once started; the Pod gets a hard deadline a little later. */
  runSeconds: number;
  /** How long the Pod may take to be scheduled and start (image present locally: seconds). */
  startSeconds?: number;
}

export interface ProbeResult {
  exitCode: number;
  /** The container's last output when it failed (FallbackToLogsOnError): the tool's own error. */
  message: string;
  podName: string;
}

/** Waiting reasons that never resolve by themselves within a check's time. */
const stuckReasons = new Set(['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

const pollMs = 300;

function probePod(spec: ProbeSpec): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      // generateName: the API server picks a unique name, so concurrent gradings never collide.
      generateName: 'kubexam-probe-',
      namespace: spec.namespace,
      labels: { ...spec.labels, [probeLabel]: 'true' },
    },
    spec: {
      restartPolicy: 'Never',
      // If our delete never comes (grader killed), the kubelet still ends the Pod.
      activeDeadlineSeconds: Math.ceil(spec.runSeconds) + 120,
      terminationGracePeriodSeconds: 0,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      // Never Ready: a probe carrying a Service's labels must not become one of its endpoints.
      readinessGates: [{ conditionType: `${probeLabel}-never-ready` }],
      // Fits the `restricted` Pod Security level, so labs that enforce it can still be probed.
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'probe',
          image: spec.image,
          imagePullPolicy: 'IfNotPresent',
          command: [...spec.command],
          terminationMessagePolicy: 'FallbackToLogsOnError',
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
        },
      ],
    },
  };
}

interface ContainerState {
  waiting?: { reason?: string; message?: string };
  terminated?: { exitCode?: number; message?: string; reason?: string };
}

function probeState(pod: KubeObject): { terminated?: { exitCode: number; message: string }; stuck?: string; pending?: string } {
  const status = (pod['status'] ?? {}) as {
    phase?: string;
    reason?: string;
    message?: string;
    containerStatuses?: { state?: ContainerState }[];
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
  const state = status.containerStatuses?.[0]?.state;
  if (state?.terminated) return { terminated: { exitCode: state.terminated.exitCode ?? -1, message: (state.terminated.message ?? state.terminated.reason ?? '').trim() } };
  if (state?.waiting?.reason && stuckReasons.has(state.waiting.reason)) {
    return { stuck: `${state.waiting.reason}${state.waiting.message ? `: ${state.waiting.message}` : ''}` };
  }
  if (status.phase === 'Failed') return { stuck: `the Pod failed: ${status.reason ?? ''} ${status.message ?? ''}`.trim() };
  const unscheduled = status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unscheduled) return { pending: `not scheduled: ${unscheduled.message ?? unscheduled.reason ?? ''}` };
  return { pending: state?.waiting?.reason ? `container ${state.waiting.reason}` : `phase ${status.phase ?? 'unknown'}` };
}

/**
 * Runs `command` in a short-lived Pod and returns its exit code, read from the Pod's status.
 * The Pod is deleted afterwards, whatever happened. Throws ProbeFailed when the probe itself
 * could not run, which a check reports as `error`, never as a verdict on the cluster.
 */
export async function runProbePod(kube: KubeClient, spec: ProbeSpec): Promise<ProbeResult> {
  let created: KubeObject;
  try {
    created = await kube.create(probePod(spec));
  } catch (error) {
    if (error instanceof NotFound) throw new ProbeFailed(`cannot start a probe Pod: namespace ${spec.namespace} does not exist`, { cause: error });
    if (error instanceof KubeUnavailable) throw new ProbeFailed(`cannot start a probe Pod in ${spec.namespace}: ${error.message}`, { cause: error });
    throw error;
  }
  const podName = created.metadata?.name ?? '';
  const ref = { apiVersion: 'v1', kind: 'Pod', name: podName, namespace: spec.namespace };
  try {
    const deadline = Date.now() + ((spec.startSeconds ?? 60) + spec.runSeconds) * 1000;
    let last = 'not yet seen';
    for (;;) {
      const pod = await kube.get(ref);
      const state = probeState(pod);
      if (state.terminated) return { ...state.terminated, podName };
      if (state.stuck) throw new ProbeFailed(`probe Pod ${spec.namespace}/${podName} (image ${spec.image}) could not run: ${state.stuck}`);
      last = state.pending ?? last;
      if (Date.now() >= deadline) throw new ProbeFailed(`probe Pod ${spec.namespace}/${podName} did not finish in time: ${last}`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } catch (error) {
    if (error instanceof ProbeFailed) throw error;
    if (error instanceof NotFound) throw new ProbeFailed(`probe Pod ${spec.namespace}/${podName} vanished before it finished`, { cause: error });
    throw error;
  } finally {
    await kube.delete(ref).catch(() => undefined);
  }
}
