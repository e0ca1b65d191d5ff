import { z } from 'zod';
import { KubexamError } from '../../errors.ts';
import { controlPlaneNode, onNode } from './node-shell.ts';
import { crashLooping, getJson, pods } from './probes.ts';
import { defineFault, type FaultTarget } from './types.ts';

/**
 * Faults of the cluster's own components: a static pod's manifest on the control plane (kind:
 * needs the node) and the kube-system ConfigMaps of CoreDNS and kube-proxy (API only, but their
 * pods only break for real where pods run: kind).
 */

const componentKubeconfig = {
  'kube-scheduler': '/etc/kubernetes/scheduler.conf',
  'kube-controller-manager': '/etc/kubernetes/controller-manager.conf',
} as const;

const staticPodParams = z.strictObject({ component: z.enum(['kube-scheduler', 'kube-controller-manager']) });
type StaticPodParams = z.output<typeof staticPodParams>;

/** `--kubeconfig=/etc/kubernetes/scheduler.conf` and the wrong path that replaces it. */
function kubeconfigFlags(component: StaticPodParams['component']) {
  const good = componentKubeconfig[component];
  return { good: `--kubeconfig=${good}`, bad: `--kubeconfig=${good.replace(/\.conf$/, '.kubeconfig')}` };
}

/** Replaces `from` by `to` in the component's manifest, then checks `to` is there; sed's rename keeps no stray copy in the manifests directory. */
function editManifest(target: FaultTarget, p: StaticPodParams, from: string, to: string): Promise<string> {
  const manifest = `/etc/kubernetes/manifests/${p.component}.yaml`;
  return onNode(target, 'static-pod-broken', controlPlaneNode(target, 'static-pod-broken'), `sed -i 's#- ${from}$#- ${to}#' ${manifest}\ngrep -q -- '- ${to}$' ${manifest}`);
}

export const staticPodBroken = defineFault<StaticPodParams>({
  name: 'static-pod-broken',
  summary: "point a control-plane component's --kubeconfig in its static pod manifest at a file that does not exist",
  symptom:
    'the component crash-loops (its mirror pod in kube-system is not Ready, logs say the kubeconfig is missing); scheduler: new pods stay Pending; controller-manager: a new Deployment gets no ReplicaSet',
  params: staticPodParams,
  inject: {
    kind: async (target, p) => {
      const { good, bad } = kubeconfigFlags(p.component);
      await editManifest(target, p, good, bad);
    },
  },
  repair: {
    kind: async (target, p) => {
      const { good, bad } = kubeconfigFlags(p.component);
      await editManifest(target, p, bad, good);
    },
  },
  probe: {
    polls: "the component's mirror pod on the control plane (kube-system, label component=<component>) is not Ready and has crashed",
    // The kubelet sees the manifest change at once (inotify); the new container exits within
    // seconds of starting.
    withinSeconds: 60,
    check: async (target, p) => {
      const node = controlPlaneNode(target, 'static-pod-broken');
      return crashLooping((await pods(target, 'kube-system', `component=${p.component}`)).filter((pod) => pod.node === node));
    },
  },
});

/** Restarts a component's pods (deletes them; their controller recreates them) so they read the config again. */
async function restartPods(target: FaultTarget, selector: string): Promise<void> {
  await target.kubectl(['-n', 'kube-system', 'delete', 'pod', '--wait=false', '-l', selector]);
}

/**
 * Replaces `from` by `to` in one key of a kube-system ConfigMap; returns false, changing
 * nothing, when `done` is already there, so that a second injection leaves the pods alone.
 */
async function editConfigMap(target: FaultTarget, fault: string, name: string, key: string, from: RegExp, to: string, done: RegExp): Promise<boolean> {
  const cm = await getJson<{ data?: Record<string, string> }>(target, ['-n', 'kube-system', 'get', 'configmap', name]);
  const text = cm.data?.[key] ?? '';
  if (done.test(text)) return false;
  if (!from.test(text)) throw new KubexamError('FAULT_TARGET_INVALID', `fault ${fault}: ConfigMap kube-system/${name} key ${key} has neither ${from.source} nor ${done.source}`);
  await target.kubectl(['-n', 'kube-system', 'patch', 'configmap', name, '--type', 'merge', '-p', JSON.stringify({ data: { [key]: text.replace(from, to) } })]);
  return true;
}

const dnsSelector = 'k8s-app=kube-dns';
// A typo of the plugin's name: CoreDNS refuses the Corefile ("Unknown directive 'kuberentes'").
const goodDirective = /^(\s*)kubernetes(\s)/m;
const badDirective = /^(\s*)kuberentes(\s)/m;

export const corednsBroken = defineFault<Record<string, never>>({
  name: 'coredns-broken',
  summary: "misspell the kubernetes plugin in CoreDNS's Corefile (ConfigMap kube-system/coredns) and restart its pods",
  symptom: "coredns pods crash-loop (logs: Unknown directive 'kuberentes'); kube-dns has no endpoints; name lookups from pods fail",
  params: z.strictObject({}),
  inject: {
    kind: async (target) => {
      // CoreDNS's reload plugin keeps the old config when the new one does not parse: only new pods fail.
      if (await editConfigMap(target, 'coredns-broken', 'coredns', 'Corefile', goodDirective, '$1kuberentes$2', badDirective)) await restartPods(target, dnsSelector);
    },
  },
  repair: {
    kind: async (target) => {
      await editConfigMap(target, 'coredns-broken', 'coredns', 'Corefile', badDirective, '$1kubernetes$2', goodDirective);
      await target.kubectl(['-n', 'kube-system', 'rollout', 'restart', 'deployment', 'coredns']);
    },
  },
  probe: {
    polls: 'no coredns pod (kube-system, k8s-app=kube-dns) is Ready, and one has crashed',
    withinSeconds: 60,
    check: async (target) => crashLooping(await pods(target, 'kube-system', dnsSelector)),
  },
});

const proxySelector = 'k8s-app=kube-proxy';
const goodProxyKubeconfig = /kubeconfig: \/var\/lib\/kube-proxy\/kubeconfig\.conf$/m;
const badProxyKubeconfig = /kubeconfig: \/var\/lib\/kube-proxy\/kube-config\.conf$/m;

export const kubeProxyBroken = defineFault<Record<string, never>>({
  name: 'kube-proxy-broken',
  summary: "point kube-proxy's clientConnection.kubeconfig (ConfigMap kube-system/kube-proxy, config.conf) at a file that does not exist and restart its pods",
  symptom: 'kube-proxy pods crash-loop (logs: kube-config.conf: no such file or directory); Services keep their old rules but new Services and endpoints are not programmed',
  params: z.strictObject({}),
  inject: {
    kind: async (target) => {
      // kube-proxy reads its config at start; the mounted file would change only after about a minute.
      if (await editConfigMap(target, 'kube-proxy-broken', 'kube-proxy', 'config.conf', goodProxyKubeconfig, 'kubeconfig: /var/lib/kube-proxy/kube-config.conf', badProxyKubeconfig)) {
        await restartPods(target, proxySelector);
      }
    },
  },
  repair: {
    kind: async (target) => {
      await editConfigMap(target, 'kube-proxy-broken', 'kube-proxy', 'config.conf', badProxyKubeconfig, 'kubeconfig: /var/lib/kube-proxy/kubeconfig.conf', goodProxyKubeconfig);
      await target.kubectl(['-n', 'kube-system', 'rollout', 'restart', 'daemonset', 'kube-proxy']);
    },
  },
  probe: {
    polls: 'no kube-proxy pod (kube-system, k8s-app=kube-proxy) is Ready, and one has crashed',
    withinSeconds: 60,
    check: async (target) => crashLooping(await pods(target, 'kube-system', proxySelector)),
  },
});
