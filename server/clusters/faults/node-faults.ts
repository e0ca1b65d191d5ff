import { z } from 'zod';
import { onNode } from './node-shell.ts';
import { nodeNotReady as nodeNotReadyProbe } from './probes.ts';
import { defineFault, type FaultTarget, type SymptomProbe } from './types.ts';

/**
 * Faults of nodes. On kwok, node-not-ready is simulated by kwok's own chaos stage; on kind they
 * are done for real inside the node's container, the way a candidate would find them:
 * `systemctl status`, `journalctl -u kubelet`, the files under /etc and /var/lib/kubelet.
 */

const nodeParams = z.strictObject({ node: z.string().min(1) });
type NodeParams = z.output<typeof nodeParams>;

/**
 * When the kubelet stops posting status, the node lifecycle controller marks the node Unknown
 * after --node-monitor-grace-period (50 s by default since 1.32), checked every 5 s.
 */
const silentKubeletSeconds = 50 + 5 + 25;

function notReadyProbe(withinSeconds: number): SymptomProbe<NodeParams> {
  return {
    polls: "the node's Ready condition is not True (False or Unknown)",
    withinSeconds,
    check: (target, p) => nodeNotReadyProbe(target, p.node),
  };
}

/** A node fault done by a shell script on the named node (kind only). */
function kindNodeFault(def: { name: string; summary: string; symptom: string; withinSeconds: number; inject: string; repair: string }) {
  const inject = (target: FaultTarget, p: NodeParams) => onNode(target, def.name, p.node, def.inject).then(() => undefined);
  const repair = (target: FaultTarget, p: NodeParams) => onNode(target, def.name, p.node, def.repair).then(() => undefined);
  return defineFault<NodeParams>({
    name: def.name,
    summary: def.summary,
    symptom: def.symptom,
    params: nodeParams,
    inject: { kind: inject },
    repair: { kind: repair },
    probe: notReadyProbe(def.withinSeconds),
  });
}

const kwokNotReadyLabel = 'node-not-ready.stage.kwok.x-k8s.io';

export const nodeNotReady = defineFault<NodeParams>({
  name: 'node-not-ready',
  summary: 'make a node stop reporting Ready (kind: its kubelet stopped, still enabled)',
  symptom: 'kubectl get nodes shows the node NotReady; its pods are evicted after the toleration period',
  params: nodeParams,
  inject: {
    // kwok's node-not-ready stage (installed with the kwok assets) holds the node NotReady
    // for as long as the label is there.
    kwok: async (target, p) => {
      await target.kubectl(['label', 'node', p.node, `${kwokNotReadyLabel}=true`, '--overwrite']);
    },
    kind: async (target, p) => {
      await onNode(target, 'node-not-ready', p.node, 'systemctl stop kubelet');
    },
  },
  repair: {
    kwok: async (target, p) => {
      await target.kubectl(['label', 'node', p.node, `${kwokNotReadyLabel}-`]);
    },
    kind: async (target, p) => {
      await onNode(target, 'node-not-ready', p.node, 'systemctl start kubelet');
    },
  },
  // kwok's stage flips the condition within a second or two; kind waits for the grace period.
  probe: notReadyProbe(silentKubeletSeconds),
});

export const kubeletStopped = kindNodeFault({
  name: 'kubelet-stopped',
  summary: "stop and disable the node's kubelet",
  symptom: 'the node goes NotReady (Unknown: "Kubelet stopped posting node status"); systemctl shows kubelet inactive and disabled',
  withinSeconds: silentKubeletSeconds,
  inject: 'systemctl disable --now kubelet 2>&1',
  repair: 'systemctl enable --now kubelet 2>&1',
});

export const containerdStopped = kindNodeFault({
  name: 'containerd-stopped',
  summary: "stop and disable the node's containerd",
  symptom: 'the node goes NotReady ("container runtime is down"); crictl cannot connect; running containers keep running',
  // The kubelet reports the runtime down once its last good runtime status is 30 s old, on its
  // next status update (every 10 s).
  withinSeconds: 30 + 10 + 30,
  inject: 'systemctl disable --now containerd 2>&1',
  repair: 'systemctl enable --now containerd 2>&1',
});

/** kubeadm's clientCAFile, and the plausible wrong one the fault puts in its place. */
const goodCA = '/etc/kubernetes/pki/ca.crt';
const badCA = '/etc/kubernetes/pki/ca-bundle.crt';
const kubeletConfig = '/var/lib/kubelet/config.yaml';

export const kubeletMisconfigured = kindNodeFault({
  name: 'kubelet-misconfigured',
  summary: `point the kubelet's clientCAFile in ${kubeletConfig} at a file that does not exist, and restart it`,
  symptom: `the node goes NotReady; kubelet restarts in a loop, journalctl -u kubelet says "unable to load client CA file ${badCA}"; restarting kubelet does not help`,
  withinSeconds: silentKubeletSeconds,
  // sed only rewrites the good value, so a second injection changes nothing; the grep fails the
  // step clearly when the file has neither (not a kubeadm kubelet config).
  inject: [
    `sed -i 's#clientCAFile: ${goodCA}$#clientCAFile: ${badCA}#' ${kubeletConfig}`,
    `grep -q 'clientCAFile: ${badCA}$' ${kubeletConfig}`,
    'systemctl restart kubelet',
  ].join('\n'),
  repair: [`sed -i 's#clientCAFile: ${badCA}$#clientCAFile: ${goodCA}#' ${kubeletConfig}`, `grep -q 'clientCAFile: ${goodCA}$' ${kubeletConfig}`, 'systemctl restart kubelet'].join('\n'),
});

const cniConfig = '/etc/cni/net.d/10-kubexam.conflist';

export const cniConfigRemoved = kindNodeFault({
  name: 'cni-config-removed',
  summary: `stop and disable kubexam-cni.service and remove ${cniConfig}`,
  symptom: 'the node goes NotReady ("container runtime network not ready: ... cni plugin not initialized"); new pods on it stay ContainerCreating',
  // containerd sees the config directory change at once; the kubelet polls runtime status every
  // 5 s and posts node status every 10 s.
  withinSeconds: 5 + 10 + 25,
  // The service first: it rewrites the file every 5 s.
  inject: `systemctl disable --now kubexam-cni.service 2>&1\nrm -f ${cniConfig}`,
  // The service writes the file again within a few seconds of starting.
  repair: 'systemctl enable --now kubexam-cni.service 2>&1',
});

const kubeletKubeconfig = '/etc/kubernetes/kubelet.conf';

export const kubeletWrongApiserver = kindNodeFault({
  name: 'kubelet-wrong-apiserver',
  summary: `change the API server port in ${kubeletKubeconfig} from 6443 to 6433, and restart the kubelet`,
  symptom: 'the node goes NotReady (Unknown); journalctl -u kubelet shows "connection refused" to port 6433',
  withinSeconds: silentKubeletSeconds,
  inject: [`sed -i -E 's#^( *server: https://.*):6443$#\\1:6433#' ${kubeletKubeconfig}`, `grep -Eq '^ *server: https://.*:6433$' ${kubeletKubeconfig}`, 'systemctl restart kubelet'].join('\n'),
  repair: [`sed -i -E 's#^( *server: https://.*):6433$#\\1:6443#' ${kubeletKubeconfig}`, `grep -Eq '^ *server: https://.*:6443$' ${kubeletKubeconfig}`, 'systemctl restart kubelet'].join('\n'),
});
