import { pullableImages } from '../images.ts';

/**
 * kwok Stages that make simulated pods fail the way real ones would, so kwok labs can teach
 * troubleshooting. They take precedence over kwok's pod-ready stage (which has no weight).
 * Status templates use no clock and keep the pod IP, so applying a stage twice is a no-op
 * patch and never loops.
 *
 * - image-pull-backoff: a container names an image that is not among the workload images.
 * - crash-loop: a container's command or args run `exit N` with N != 0 (as a broken entrypoint
 *   would); on kind the same spec crashes for real.
 */
/** Pods that exist, are not being deleted and are scheduled: the ones a kubelet would run. */
const podSelectorHead = `  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.spec.nodeName'
      operator: 'Exists'
`;

/** A pod whose containers are not ready, dated by its creation (no clock: re-applying is a no-op). */
const notReadyConditions = `      {{ $started := .metadata.creationTimestamp }}
      conditions:
      - { type: PodScheduled, status: "True", lastTransitionTime: {{ $started | Quote }} }
      - { type: Initialized, status: "True", lastTransitionTime: {{ $started | Quote }} }
      - { type: ContainersReady, status: "False", reason: ContainersNotReady, lastTransitionTime: {{ $started | Quote }} }
      - { type: Ready, status: "False", reason: ContainersNotReady, lastTransitionTime: {{ $started | Quote }} }
`;

/** Node and pod IPs; an IP once given is kept, or every application would allocate a new one. */
const addresses = `      hostIP: {{ NodeIPWith .spec.nodeName | Quote }}
      podIP: {{ or .status.podIP ( PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) ) | Quote }}
`;

export function faultStagesYaml(): string {
  const images = JSON.stringify(pullableImages);
  return `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: kubexam-pod-image-pull-backoff
spec:
${podSelectorHead}    - key: '([.spec.containers[].image] - ${images}) | length > 0'
      operator: 'In'
      values: ['true']
  weight: 100
  next:
    statusTemplate: |
${notReadyConditions}      containerStatuses:
      {{ range .spec.containers }}
      - name: {{ .name | Quote }}
        image: {{ .image | Quote }}
        ready: false
        started: false
        restartCount: 0
        state:
          waiting:
            reason: ImagePullBackOff
            message: {{ printf "Back-off pulling image \\"%s\\"" .image | Quote }}
      {{ end }}
${addresses}      phase: Pending
      startTime: {{ $started | Quote }}
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: kubexam-pod-crash-loop
spec:
${podSelectorHead}    - key: '[.spec.containers[] | ((.command // []) + (.args // [])) | join(" ") | test("exit +[1-9]")] | any'
      operator: 'In'
      values: ['true']
  weight: 100
  next:
    statusTemplate: |
${notReadyConditions}      containerStatuses:
      {{ range .spec.containers }}
      - name: {{ .name | Quote }}
        image: {{ .image | Quote }}
        ready: false
        started: false
        restartCount: 4
        lastState:
          terminated:
            exitCode: 1
            reason: Error
            startedAt: {{ $started | Quote }}
            finishedAt: {{ $started | Quote }}
        state:
          waiting:
            reason: CrashLoopBackOff
            message: {{ printf "back-off 1m20s restarting failed container=%s" .name | Quote }}
      {{ end }}
${addresses}      phase: Running
      startTime: {{ $started | Quote }}
`;
}
