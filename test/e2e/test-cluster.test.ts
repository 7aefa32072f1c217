import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startApiServer, type ApiServer } from "../support/apiserver.js";
import type { KubeObject } from "../support/kube.js";
import { toolPath, type GoToolName } from "../support/tools.js";
import { fakeNodeName, neverReadyLabel } from "../support/workloads.js";

// One cluster with workloads for the file; a plain one is started (and stopped) first only to
// compare start-up times.
let api: ApiServer;
let plain: { ingressAddress: string | undefined; nodes: readonly string[] };
const namespace = "workloads";

interface PodView {
  readonly metadata: { readonly name: string };
  readonly spec: { readonly nodeName?: string };
  readonly status: {
    readonly phase?: string;
    readonly podIP?: string;
    readonly conditions?: readonly { readonly type: string; readonly status: string }[];
  };
}

interface DeploymentView {
  readonly status?: {
    readonly availableReplicas?: number;
    readonly readyReplicas?: number;
    readonly conditions?: readonly { readonly type: string; readonly status: string }[];
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

beforeAll(async () => {
  // Builds (if any) happen here, outside the measured start-ups.
  const tools: GoToolName[] = [
    "etcd",
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "kwok",
  ];
  for (const tool of tools) await toolPath(tool);
  let started = performance.now();
  const withoutWorkloads = await startApiServer();
  const plainMs = performance.now() - started;
  plain = { ingressAddress: withoutWorkloads.ingressAddress, nodes: withoutWorkloads.nodes };
  await withoutWorkloads.stop();
  started = performance.now();
  api = await startApiServer({ workloads: true });
  const workloadsMs = performance.now() - started;
  console.log(
    `test cluster start-up: ${seconds(plainMs)} without workloads, ` +
      `${seconds(workloadsMs)} with workloads (kube-scheduler, kwok, a Ready fake node)`,
  );
  await api.client.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
}, 600_000);

afterAll(async () => {
  await api?.stop();
});

function deployment(name: string, replicas: number, extraLabels: Record<string, string> = {}) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, ...extraLabels } },
        spec: {
          containers: [{ name: "web", image: "nginx:1.29", ports: [{ containerPort: 80 }] }],
        },
      },
    },
  };
}

function service(name: string, type = "ClusterIP"): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace },
    spec: { type, selector: { app: name }, ports: [{ port: 80, targetPort: 80 }] },
  };
}

async function pods(app: string): Promise<PodView[]> {
  const list = await api.client.request<{ items: PodView[] }>(
    "GET",
    `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(`app=${app}`)}`,
  );
  return list.body.items;
}

async function deploymentStatus(name: string): Promise<DeploymentView["status"]> {
  const live = (await api.client.get(
    `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`,
  )) as DeploymentView | undefined;
  return live?.status;
}

function isReady(pod: PodView): boolean {
  return pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

/** Waits until the Deployment reports `replicas` available ones; returns how long that took. */
async function waitAvailable(name: string, replicas: number, timeoutMs: number): Promise<number> {
  const started = performance.now();
  await api.client.waitFor(
    `deployment ${name} to have ${replicas} available replicas`,
    async () => ((await deploymentStatus(name))?.availableReplicas === replicas ? true : undefined),
    timeoutMs,
  );
  return performance.now() - started;
}

function loadBalancerIp(object: KubeObject | undefined): string | undefined {
  const status = object?.status as { loadBalancer?: { ingress?: { ip?: string }[] } } | undefined;
  return status?.loadBalancer?.ingress?.[0]?.ip;
}

describe("test cluster with workloads", { timeout: 120_000 }, () => {
  test("without workloads there is no node and no ingress address", () => {
    expect(plain).toEqual({ ingressAddress: undefined, nodes: [] });
  });

  test("workloads needs kube-controller-manager", async () => {
    await expect(startApiServer({ workloads: true, controllerManager: false })).rejects.toThrow(
      "startApiServer: workloads needs controllerManager (Deployments, ReplicaSets and endpoints " +
        "are kube-controller-manager's work); drop controllerManager: false",
    );
  });

  test("starts with one Ready fake node that kwok manages", async () => {
    expect(api.nodes).toEqual([fakeNodeName]);
    const node = (await api.client.get(`/api/v1/nodes/${fakeNodeName}`)) as
      (KubeObject & { status: { conditions: { type: string; status: string }[] } }) | undefined;
    expect(node?.status.conditions).toContainEqual(
      expect.objectContaining({ type: "Ready", status: "True" }),
    );
    expect(node?.metadata?.annotations?.["kwok.x-k8s.io/node"]).toBe("fake");
  });

  test("a Deployment's pods are scheduled and Ready, and it reports 2 available replicas", async () => {
    await api.client.apply(deployment("web", 2));
    await api.client.apply(service("web"));
    const tookMs = await waitAvailable("web", 2, 60_000);
    console.log(`deployment web: 2 available replicas ${seconds(tookMs)} after apply`);

    const webPods = await pods("web");
    expect(webPods).toHaveLength(2);
    for (const pod of webPods) {
      expect(pod.spec.nodeName).toBe(fakeNodeName);
      expect(pod.status.phase).toBe("Running");
      expect(isReady(pod)).toBe(true);
      expect(pod.status.podIP).toMatch(/^10\.244\./);
    }
    // The Kubernetes provider's Service and Ingress awaits look for ready endpoints.
    const endpoints = await api.client.waitFor("endpoints of web to list both pods", async () => {
      const live = (await api.client.get(`/api/v1/namespaces/${namespace}/endpoints/web`)) as
        { subsets?: { addresses?: { ip: string }[] }[] } | undefined;
      const ips = (live?.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip));
      return ips.length === 2 ? ips.sort() : undefined;
    });
    expect(endpoints).toEqual(webPods.map((pod) => pod.status.podIP).sort());
  });

  test("the stand-in ingress controller gives an Ingress the fixture address", async () => {
    expect(api.ingressAddress).toBe("192.0.2.10");
    await api.client.apply({
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "web", namespace },
      spec: {
        rules: [
          {
            host: "web.example.test",
            http: {
              paths: [
                {
                  path: "/",
                  pathType: "Prefix",
                  backend: { service: { name: "web", port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    });
    const ip = await api.client.waitFor(
      "the Ingress to get a load-balancer address",
      async () =>
        loadBalancerIp(
          await api.client.get(`/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses/web`),
        ),
      10_000,
    );
    expect(ip).toBe(api.ingressAddress);
  });

  test("a LoadBalancer Service gets the same address, a ClusterIP one none", async () => {
    await api.client.apply(service("public", "LoadBalancer"));
    const ip = await api.client.waitFor(
      "the LoadBalancer Service to get an address",
      async () =>
        loadBalancerIp(await api.client.get(`/api/v1/namespaces/${namespace}/services/public`)),
      10_000,
    );
    expect(ip).toBe(api.ingressAddress);
    expect(
      loadBalancerIp(await api.client.get(`/api/v1/namespaces/${namespace}/services/web`)),
    ).toBeUndefined();
  });

  test(`pods labelled ${neverReadyLabel}=true run but never become Ready`, async () => {
    await api.client.apply(deployment("stuck", 2, { [neverReadyLabel]: "true" }));
    await api.client.apply(deployment("fine", 2));
    await waitAvailable("fine", 2, 60_000);
    // kwok has played its stage on both stuck pods: they run on the node, with an IP, unready.
    const stuckPods = await api.client.waitFor("both stuck pods to be Running", async () => {
      const found = await pods("stuck");
      return found.length === 2 && found.every((pod) => pod.status.phase === "Running")
        ? found
        : undefined;
    });
    for (const pod of stuckPods) {
      expect(pod.spec.nodeName).toBe(fakeNodeName);
      expect(pod.status.podIP).toMatch(/^10\.244\./);
      expect(isReady(pod)).toBe(false);
    }
    // Long enough for kwok, the ReplicaSet and Deployment controllers to have acted on any change.
    await sleep(4_000);
    expect((await pods("stuck")).map(isReady)).toEqual([false, false]);
    const stuck = await deploymentStatus("stuck");
    expect(stuck?.availableReplicas ?? 0).toBe(0);
    expect(stuck?.readyReplicas ?? 0).toBe(0);
    expect(stuck?.conditions).toContainEqual(
      expect.objectContaining({ type: "Available", status: "False" }),
    );
    expect((await deploymentStatus("fine"))?.availableReplicas).toBe(2);
  });

  test("the node and its pods stay Ready past kube-controller-manager's node grace period (50 s)", async () => {
    // kwok renews the node's Lease as a kubelet would; without it the node went NotReady after
    // 50 s and every pod on it unready, so any later `up` waited for readiness in vain.
    await sleep(65_000);
    const node = (await api.client.get(`/api/v1/nodes/${fakeNodeName}`)) as
      (KubeObject & { status: { conditions: { type: string; status: string }[] } }) | undefined;
    expect(node?.status.conditions).toContainEqual(
      expect.objectContaining({ type: "Ready", status: "True" }),
    );
    expect((await pods("web")).map(isReady)).toEqual([true, true]);
  });
});
