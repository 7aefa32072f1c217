import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import type { KubeClient, KubeObject } from "./kube.js";

/**
 * kwok's Stages for the test cluster: kwok v0.8.0's default node and pod stages plus the
 * never-ready stage (see the file's header). kwok has no built-in stages, so it gets this file.
 */
export const kwokStagesPath = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "fixtures",
  "kwok",
  "stages.yaml",
);

/**
 * A pod whose labels carry `sitestack.test/never-ready: "true"` runs (phase Running, a pod IP, every
 * container started) but never becomes Ready, like a container whose readiness probe keeps failing.
 * Put it on a Deployment's pod template to get a Deployment that never has an available replica.
 */
export const neverReadyLabel = "sitestack.test/never-ready";

/**
 * An image repository that does the same as {@link neverReadyLabel} for a pod whose labels a test
 * cannot choose (a site file sets its image, not its pod labels): any repository whose last path
 * element is `never-ready`.
 */
export const neverReadyImageRepository = "registry.example.test/sitestack/never-ready";

/** The annotation kwok is told to manage nodes by (`--manage-nodes-with-annotation-selector`). */
export const kwokNodeAnnotation = "kwok.x-k8s.io/node";

/**
 * What the fixture's stand-in ingress controller writes into Ingress and LoadBalancer Service
 * status: 192.0.2.10, from TEST-NET-1 (RFC 5737, documentation only), so nobody mistakes it for an
 * address something listens on.
 */
export const defaultIngressAddress = "192.0.2.10";

/** The one fake node of a workloads cluster. */
export const fakeNodeName = "sitestack-fake-node";

/**
 * A Node for kwok to play the kubelet of. Its status (conditions, addresses, a capacity of 1k CPUs,
 * 1 TiB of memory, 1 TiB of ephemeral storage — sitestack's pods request some — and 1M pods) comes
 * from kwok's node-initialize stage (test/fixtures/kwok/stages.yaml). No taint: nothing else could run pods,
 * so workloads need no toleration.
 */
export function fakeNode(name: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      annotations: { [kwokNodeAnnotation]: "fake" },
      labels: {
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        type: "kwok",
      },
    },
  };
}

interface NodeStatus {
  readonly spec?: {
    readonly taints?: readonly { readonly key: string; readonly effect: string }[];
  };
  readonly status?: { readonly conditions?: readonly { type: string; status: string }[] };
}

/**
 * Whether node `name` reports Ready and the node lifecycle controller has lifted the `not-ready`
 * taint it puts on every new node; before that the scheduler leaves pods Pending.
 */
export async function isNodeSchedulable(client: KubeClient, name: string): Promise<boolean> {
  const node = (await client.get(`/api/v1/nodes/${encodeURIComponent(name)}`)) as
    NodeStatus | undefined;
  const ready = node?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
  const tainted = node?.spec?.taints?.some((t) => t.key === "node.kubernetes.io/not-ready");
  return Boolean(ready && !tainted);
}

/** A loop started by {@link startLoadBalancerStatusWriter}. */
export interface StatusWriter {
  /** Ends the loop and waits for its current pass; safe to call twice. */
  stop(): Promise<void>;
}

interface StatusTarget {
  /** Collection of every object of the kind, across namespaces. */
  readonly list: string;
  /** Namespaced collection path prefix, `<prefix>/namespaces/<ns>/<resource>/<name>/status`. */
  readonly prefix: string;
  readonly resource: string;
  readonly wants: (object: KubeObject) => boolean;
}

const statusTargets: readonly StatusTarget[] = [
  {
    list: "/apis/networking.k8s.io/v1/ingresses",
    prefix: "/apis/networking.k8s.io/v1",
    resource: "ingresses",
    wants: () => true,
  },
  {
    list: "/api/v1/services",
    prefix: "/api/v1",
    resource: "services",
    wants: (object) => (object.spec as { type?: string } | undefined)?.type === "LoadBalancer",
  },
];

function hasLoadBalancerAddress(object: KubeObject): boolean {
  const status = object.status as { loadBalancer?: { ingress?: unknown[] } } | undefined;
  return (status?.loadBalancer?.ingress?.length ?? 0) > 0;
}

/**
 * The test cluster's stand-in for an ingress controller (and for a cloud's load-balancer
 * controller): every `intervalMs` it lists Ingresses and `type: LoadBalancer` Services and gives
 * each one without `.status.loadBalancer.ingress` the entry `{ ip: address }`, through the status
 * subresource. That is all the Kubernetes provider's Ingress and Service awaits ask of a
 * controller, and it is how the address reaches a stack's outputs. Nothing routes traffic to it.
 *
 * A pass that fails (the server stopping, an object deleted meanwhile) is dropped and the next one
 * tries again; a test that waits for an address fails on its own timeout.
 */
export function startLoadBalancerStatusWriter(
  client: KubeClient,
  address: string,
  intervalMs = 200,
): StatusWriter {
  const pass = async () => {
    for (const target of statusTargets) {
      const list = await client.request<{ items: KubeObject[] }>("GET", target.list);
      for (const object of list.body.items) {
        const { name, namespace, deletionTimestamp } = object.metadata ?? {};
        if (!name || !namespace || deletionTimestamp) continue;
        if (!target.wants(object) || hasLoadBalancerAddress(object)) continue;
        const path =
          `${target.prefix}/namespaces/${encodeURIComponent(namespace)}/` +
          `${target.resource}/${encodeURIComponent(name)}/status`;
        await client.request("PATCH", path, {
          body: { status: { loadBalancer: { ingress: [{ ip: address }] } } },
          contentType: "application/merge-patch+json",
          accept: [404, 409],
        });
      }
    }
  };
  return repeatEvery(intervalMs, pass);
}

/**
 * The test cluster's stand-in for a storage provisioner: every `intervalMs` it gives each Pending
 * PersistentVolumeClaim without a volume a PersistentVolume made for it (its size, access modes and
 * class, `claimRef` set, a hostPath nobody writes: kwok runs no containers), which
 * kube-controller-manager's volume binder then binds. Without it a StatefulSet's pods stay
 * unschedulable ("pod has unbound immediate PersistentVolumeClaims") and the provider's await never
 * ends. Volumes are retained when their claim goes, as a real `Retain` class would keep them.
 */
export function startVolumeProvisioner(client: KubeClient, intervalMs = 200): StatusWriter {
  const pass = async () => {
    const list = await client.request<{ items: KubeObject[] }>(
      "GET",
      "/api/v1/persistentvolumeclaims",
    );
    for (const claim of list.body.items) {
      const { name, namespace, uid, deletionTimestamp } = claim.metadata ?? {};
      const spec = claim.spec as
        | {
            volumeName?: string;
            accessModes?: string[];
            storageClassName?: string;
            resources?: { requests?: { storage?: string } };
          }
        | undefined;
      const phase = (claim.status as { phase?: string } | undefined)?.phase;
      if (!name || !namespace || !uid || deletionTimestamp || spec?.volumeName) continue;
      if (phase !== undefined && phase !== "Pending") continue;
      await client.request("POST", "/api/v1/persistentvolumes", {
        body: {
          apiVersion: "v1",
          kind: "PersistentVolume",
          metadata: { name: `sitestack-test-${uid}` },
          spec: {
            capacity: { storage: spec?.resources?.requests?.storage ?? "1Gi" },
            accessModes: spec?.accessModes ?? ["ReadWriteOnce"],
            storageClassName: spec?.storageClassName ?? "",
            persistentVolumeReclaimPolicy: "Retain",
            hostPath: { path: `/nonexistent/sitestack-test-volumes/${uid}` },
            claimRef: { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace, name, uid },
          },
        },
        accept: [409],
      });
    }
  };
  return repeatEvery(intervalMs, pass);
}

/**
 * Runs `pass` every `intervalMs` until stopped. A pass that fails (the server stopping, an object
 * deleted meanwhile) is dropped and the next one tries again.
 */
function repeatEvery(intervalMs: number, pass: () => Promise<void>): StatusWriter {
  const abort = new AbortController();
  const loop = (async () => {
    while (!abort.signal.aborted) {
      await pass().catch(() => undefined);
      await sleep(intervalMs, undefined, { signal: abort.signal }).catch(() => undefined);
    }
  })();
  return {
    async stop() {
      abort.abort();
      await loop;
    },
  };
}
