import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resolveStaging, type KubernetesObject } from "../../components/staging/index.js";
import { defaultPlatformSettings } from "../../stacks/platform/settings.js";
import { renderStaging, repositoryChartsDir } from "../../stacks/staging/render.js";
import { startApiServer, type ApiServer } from "../support/apiserver.js";
import type { KubeObject } from "../support/kube.js";
import { toolPath } from "../support/tools.js";
import { kubernetesVersion } from "../support/kubeconform-schemas.js";
import { boxStaging, fixtureSecrets } from "./fixtures.js";

/*
 * The staging lifecycle against a real API server and controller manager, without the Pulumi
 * engine: the objects the Staging component would create (its pure `resolveStaging`, fed by the
 * real `helm template`) are server-side applied the way the Kubernetes provider applies them.
 * The controllers do the rest for real: ReplicaSets and pods from Deployments, pods and volume
 * claims from the StatefulSet, Pod Security admission (restricted) on every pod, and the
 * namespace controller on cleanup. There is no scheduler or kubelet, so pods stay Pending, which
 * is all archive needs to prove: nothing is scaled up.
 */

const namespace = "staging-pr-42";
const claimPath = `/api/v1/namespaces/${namespace}/persistentvolumeclaims/data-pr-42-box-database-0`;
const manager = "pulumi-kubernetes";
let api: ApiServer;
let helm: string;
let kubeVersion: string;

beforeAll(async () => {
  [api, helm, kubeVersion] = await Promise.all([
    startApiServer({ crds: false }),
    toolPath("helm"),
    kubernetesVersion(),
  ]);
});

afterAll(async () => {
  await api?.stop();
});

async function resolved(spec: Record<string, unknown>, archived: boolean) {
  const rendered = await renderStaging(boxStaging(spec), defaultPlatformSettings, {
    chartsDir: repositoryChartsDir(),
    helm,
    kubeVersion,
  });
  return resolveStaging("pr-42", { objects: rendered.objects, archived });
}

/** What `pulumi up` of the Staging component sends: namespace, secret values, then each object. */
async function up(spec: Record<string, unknown>, archived = false): Promise<KubernetesObject[]> {
  const staging = await resolved(spec, archived);
  await api.client.apply(
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: namespace, labels: { ...staging.namespaceLabels } },
    },
    manager,
  );
  await api.client.apply(
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: staging.names.secretName, namespace },
      stringData: {
        "site.oidcClientSecret": fixtureSecrets.PR42_OIDC_CLIENT_SECRET!,
        "database.password": fixtureSecrets.PR42_DB_PASSWORD!,
      },
    },
    manager,
  );
  for (const object of staging.objects) await api.client.apply(object as KubeObject, manager);
  return [...staging.objects];
}

async function list(kind: string, group = "/api/v1"): Promise<KubeObject[]> {
  const { body } = await api.client.request<{ items: KubeObject[] }>(
    "GET",
    `${group}/namespaces/${namespace}/${kind}`,
  );
  return body.items;
}

async function specsOf(objects: readonly KubernetesObject[]): Promise<Record<string, unknown>> {
  const specs: Record<string, unknown> = {};
  for (const object of objects) {
    const live = await api.client.get(await api.client.objectPath(object as KubeObject));
    specs[`${object.kind}/${object.metadata.name}`] = live?.spec ?? live?.data;
  }
  return specs;
}

const podsOf = async (component: string) =>
  (await list("pods")).filter(
    (pod) => pod.metadata?.labels?.["app.kubernetes.io/component"] === component,
  );

describe("staging lifecycle on a real API server (no engine)", { timeout: 300_000 }, () => {
  let beforeArchive: Record<string, unknown>;
  let activeObjects: KubernetesObject[];
  let claimUid: string | undefined;

  test("create: pods pass restricted Pod Security admission and the database gets its volume claim", async () => {
    await up({});
    const claim = await api.client.waitFor("the database volume claim", () =>
      api.client.get(claimPath),
    );
    claimUid = claim.metadata?.uid;
    await api.client.waitFor("a web pod", async () =>
      (await podsOf("web")).length === 1 ? true : undefined,
    );
    await api.client.waitFor("a database pod", async () =>
      (await podsOf("database")).length === 1 ? true : undefined,
    );
    // The admission is really enforcing: a pod without the restricted settings is refused.
    const refused = await api.client.request<{ message: string }>(
      "POST",
      `/api/v1/namespaces/${namespace}/pods`,
      {
        body: {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "root" },
          spec: { containers: [{ name: "c", image: "docker.io/library/busybox:1" }] },
        },
        accept: [403],
      },
    );
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('violates PodSecurity "restricted:latest"');
  });

  test("update: the new tag starts web pods of that tag; the database pod stays", async () => {
    const [databaseBefore] = await podsOf("database");
    activeObjects = await up({ tag: "0.5.0" });
    // Without a kubelet the new pod never gets Ready, so the rollout keeps the old pod: the new
    // ReplicaSet's pod is the proof.
    await api.client.waitFor("a web pod of the new tag", async () => {
      const pods = await podsOf("web");
      const images = pods.flatMap((pod) =>
        (pod.spec as { containers: Array<{ image: string }> }).containers.map((c) => c.image),
      );
      return images.some((image) => image.endsWith(":0.5.0")) ? true : undefined;
    });
    const [databaseAfter] = await podsOf("database");
    expect(databaseAfter?.metadata?.uid).toBe(databaseBefore?.metadata?.uid);
    beforeArchive = await specsOf(activeObjects);
  });

  test("archive: no pod left, nothing scaled up, the volume claim, Services and Ingress stay", async () => {
    await up({ tag: "0.5.0" }, true);
    await api.client.waitFor("every pod to go", async () =>
      (await list("pods")).length === 0 ? true : undefined,
    );
    const replicaSets = await list("replicasets", "/apis/apps/v1");
    expect(replicaSets.length).toBeGreaterThan(0);
    expect(replicaSets.map((rs) => (rs.spec as { replicas: number }).replicas)).toEqual(
      replicaSets.map(() => 0),
    );
    const [statefulSet] = await list("statefulsets", "/apis/apps/v1");
    expect((statefulSet?.spec as { replicas: number }).replicas).toBe(0);
    expect((await api.client.get(claimPath))?.metadata?.uid).toBe(claimUid);
    expect((await list("services")).map((s) => s.metadata?.name).sort()).toEqual([
      "pr-42-box",
      "pr-42-box-database",
    ]);
    expect(
      (await list("ingresses", "/apis/networking.k8s.io/v1")).map((i) => i.metadata?.name),
    ).toEqual(["pr-42-box"]);
    // Still no pod a few controller syncs later: nothing scales the workloads back up.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await list("pods")).toEqual([]);
  });

  test("restore: the same objects as before the archive, on the same volume claim", async () => {
    const restored = await up({ tag: "0.5.0" });
    expect(await specsOf(restored)).toEqual(beforeArchive);
    await api.client.waitFor("the database pod back", async () =>
      (await podsOf("database")).length === 1 ? true : undefined,
    );
    expect((await api.client.get(claimPath))?.metadata?.uid).toBe(claimUid);
  });

  test("cleanup: deleting the namespace removes everything in it, volume claim included", async () => {
    await api.client.delete(`/api/v1/namespaces/${namespace}`);
    await api.client.waitGone(`/api/v1/namespaces/${namespace}`, 120_000);
    expect(await api.client.get(claimPath)).toBeUndefined();
  });
});
