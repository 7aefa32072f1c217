import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { withoutRetention } from "../../stacks/manager/recovery.js";
import { stagingProgram } from "../../stacks/program/staging.js";
import { startApiServer, type ApiServer } from "../support/apiserver.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";
import { stepTimings } from "../support/step-timings.js";
import type { KubeObject } from "../support/kube.js";
import { skipAwaitAnnotation } from "../../stacks/program/await-policy.js";
import { toolPath } from "../support/tools.js";
import { kubernetesVersion } from "../support/kubeconform-schemas.js";
import { boxStaging, fixtureContext, fixtureSecrets } from "./fixtures.js";
import { defaultPlatformSettings, type PlatformSettings } from "../../stacks/platform/settings.js";

/*
 * The staging program through the real Pulumi engine (built from its Go module) and sitestack's
 * offline stand-in for the Kubernetes provider: first in render mode (YAML files, no cluster), then
 * against a real API server and controller manager through the lifecycle the stack manager drives:
 * up (create) → up (new tag) → archive (the program with lifecycle "archived") → restore (the same
 * spec, lifecycle "active") → cleanup (retention lifted, as the manager's cleanup does, then
 * destroy).
 */

let engine: TestEngine;
let helm: string;
let kubeVersion: string;
// Read by the inline program on every run, so one stack can be driven through the lifecycle.
let tag = "0.4.0-pr.42";
let lifecycle: "active" | "archived" = "active";
// Where the program sends its objects: the platform's render mode, or the default provider.
let target: PlatformSettings["kubernetes"] = defaultPlatformSettings.kubernetes;
const timings = stepTimings("staging engine timings");
const timed = timings.timed;

function program() {
  return () =>
    stagingProgram(boxStaging({ tag }), fixtureContext(lifecycle, target), {
      helm,
      kubeVersion,
    })();
}

beforeAll(async () => {
  [engine, helm, kubeVersion] = await Promise.all([
    startTestEngine(),
    toolPath("helm"),
    kubernetesVersion(),
  ]);
});

afterAll(async () => {
  timings.print();
  await engine?.dispose();
});

async function storedState(stack: Stack): Promise<string> {
  return readFile(
    join(engine.dir, "state", ".pulumi", "stacks", "staging-e2e", `${stack.name}.json`),
    "utf8",
  );
}

function expectNoSecretValue(text: string): void {
  for (const value of Object.values(fixtureSecrets)) {
    expect(text).not.toContain(value);
    expect(text).not.toContain(Buffer.from(value).toString("base64"));
  }
}

describe("render mode through the real engine", { timeout: 600_000 }, () => {
  const savedKubeconfig = process.env.KUBECONFIG;
  let stack: Stack;
  let renderDir: string;
  const manifestDir = () => join(renderDir, "1-manifest");
  const files = async () =>
    existsSync(manifestDir()) ? (await readdir(manifestDir())).sort() : [];
  const text = async (file: string) => readFile(join(manifestDir(), file), "utf8");

  beforeAll(async () => {
    delete process.env.KUBECONFIG;
    tag = "0.4.0-pr.42";
    lifecycle = "active";
    // The platform's render mode, as the CLI's default: the program's provider renders into
    // <directory>/<stack>/ and Secrets reach it without their values.
    target = { mode: "render", directory: join(engine.dir, "rendered") };
    renderDir = join(engine.dir, "rendered", "staging-pr-42");
    stack = await engine.inlineStack("staging-e2e", "render", program());
  });

  afterAll(() => {
    if (savedKubeconfig !== undefined) process.env.KUBECONFIG = savedKubeconfig;
    target = defaultPlatformSettings.kubernetes;
  });

  test("up renders the namespace, the secret-values Secret and every chart object", async () => {
    const up = await timed("render up", () => stack.up());
    // The stack, the component, the rendering provider, the namespace, the Secret and the chart's 8.
    expect(up.summary.resourceChanges).toEqual({ create: 13 });
    expect(await files()).toEqual([
      "apps_v1-deployment-staging-pr-42-pr-42-box.yaml",
      "apps_v1-statefulset-staging-pr-42-pr-42-box-database.yaml",
      "networking.k8s.io_v1-ingress-staging-pr-42-pr-42-box.yaml",
      "networking.k8s.io_v1-networkpolicy-staging-pr-42-pr-42-box-database.yaml",
      "networking.k8s.io_v1-networkpolicy-staging-pr-42-pr-42-box-web.yaml",
      "v1-configmap-staging-pr-42-pr-42-box-settings.yaml",
      "v1-namespace-default-staging-pr-42.yaml",
      "v1-secret-staging-pr-42-pr-42-secret-values.yaml",
      "v1-service-staging-pr-42-pr-42-box-database.yaml",
      "v1-service-staging-pr-42-pr-42-box.yaml",
    ]);
    expect(await text("apps_v1-deployment-staging-pr-42-pr-42-box.yaml")).toContain(
      "image: docker.io/juntoz/jzbox:0.4.0-pr.42",
    );
    expect(up.outputs.namespace?.value).toBe("staging-pr-42");
  });

  test("no secret value reaches a rendered file or the stored state", async () => {
    const all = (await Promise.all((await files()).map(text))).join("\n");
    expectNoSecretValue(all);
    expectNoSecretValue(await storedState(stack));
  });

  test("archived, the workloads render with zero replicas and everything else stays", async () => {
    lifecycle = "archived";
    const up = await timed("render archive", () => stack.up());
    expect(up.summary.resourceChanges).toEqual({ same: 11, update: 2 });
    expect(await text("apps_v1-deployment-staging-pr-42-pr-42-box.yaml")).toMatch(/replicas: 0\b/);
    expect(await text("apps_v1-statefulset-staging-pr-42-pr-42-box-database.yaml")).toMatch(
      /replicas: 0\b/,
    );
    expect(await files()).toHaveLength(10);
  });
});

describe(
  "lifecycle against a real API server through the real engine",
  { timeout: 900_000 },
  () => {
    let api: ApiServer;
    let stack: Stack;
    const namespace = "staging-pr-42";
    const claimPath = `/api/v1/namespaces/${namespace}/persistentvolumeclaims/data-pr-42-box-database-0`;
    let claimUid: string | undefined;
    let beforeArchive: Record<string, unknown>;

    const list = async (kind: string, group = "/api/v1") =>
      (
        await api.client.request<{ items: KubeObject[] }>(
          "GET",
          `${group}/namespaces/${namespace}/${kind}`,
        )
      ).body.items;
    const podsOf = async (component: string) =>
      (await list("pods")).filter(
        (pod) => pod.metadata?.labels?.["app.kubernetes.io/component"] === component,
      );
    const workloadSpecs = async () => ({
      deployment: (
        await api.client.get(`/apis/apps/v1/namespaces/${namespace}/deployments/pr-42-box`)
      )?.spec,
      statefulSet: (
        await api.client.get(
          `/apis/apps/v1/namespaces/${namespace}/statefulsets/pr-42-box-database`,
        )
      )?.spec,
      service: (await api.client.get(`/api/v1/namespaces/${namespace}/services/pr-42-box`))?.spec,
      ingress: (
        await api.client.get(
          `/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses/pr-42-box`,
        )
      )?.spec,
      settings: (
        await api.client.get(`/api/v1/namespaces/${namespace}/configmaps/pr-42-box-settings`)
      )?.data,
    });

    beforeAll(async () => {
      api = await startApiServer({ crds: false, workloads: true });
      tag = "0.4.0-pr.42";
      lifecycle = "active";
      stack = await engine.inlineStack("staging-e2e", "cluster", program());
      await stack.setConfig("kubernetes:kubeconfig", { value: api.kubeconfigPath });
    });

    afterAll(async () => {
      await api?.stop();
    });

    test("create: namespace, objects, pods admitted under restricted, database volume claim", async () => {
      const up = await timed("cluster create", () => stack.up());
      expect(up.summary.resourceChanges).toEqual({ create: 12 });
      const claim = await api.client.waitFor("the database volume claim", () =>
        api.client.get(claimPath),
      );
      claimUid = claim.metadata?.uid;
      await api.client.waitFor("web and database pods", async () =>
        (await podsOf("web")).length === 1 && (await podsOf("database")).length === 1
          ? true
          : undefined,
      );
    });

    test("update: a new tag updates the web objects in place and starts web pods of that tag; the database pod stays", async () => {
      const [database] = await podsOf("database");
      tag = "0.5.0";
      const up = await timed("cluster update", () => stack.up());
      // The version label moves with the tag on every web object; the database keeps its own.
      expect(up.summary.resourceChanges).toEqual({ same: 7, update: 5 });
      // The web Service (updated with the version label) is not awaited: its Pods' Deployment is.
      const webService = await api.client.get(`/api/v1/namespaces/${namespace}/services/pr-42-box`);
      expect(webService?.metadata?.annotations?.[skipAwaitAnnotation]).toBe("true");
      // Without a kubelet the new pod never gets Ready, so the rollout keeps the old pod: the new
      // ReplicaSet's pod is the proof.
      await api.client.waitFor("a web pod of the new tag", async () => {
        const images = (await podsOf("web")).flatMap((pod) =>
          (pod.spec as { containers: Array<{ image: string }> }).containers.map((c) => c.image),
        );
        return images.some((image) => image.endsWith(":0.5.0")) ? true : undefined;
      });
      expect((await podsOf("database"))[0]?.metadata?.uid).toBe(database?.metadata?.uid);
      beforeArchive = await workloadSpecs();
    });

    test("archive: no pod, nothing scaled up, volume claim, Service and Ingress kept", async () => {
      lifecycle = "archived";
      const up = await timed("cluster archive", () => stack.up());
      expect(up.summary.resourceChanges).toEqual({ same: 10, update: 2 });
      await api.client.waitFor("every pod to go", async () =>
        (await list("pods")).length === 0 ? true : undefined,
      );
      const replicaSets = await list("replicasets", "/apis/apps/v1");
      expect(replicaSets.map((rs) => (rs.spec as { replicas: number }).replicas)).toEqual(
        replicaSets.map(() => 0),
      );
      const archived = await workloadSpecs();
      expect((archived.statefulSet as { replicas: number }).replicas).toBe(0);
      expect(archived.service).toEqual(beforeArchive.service);
      expect(archived.ingress).toEqual(beforeArchive.ingress);
      expect((await api.client.get(claimPath))?.metadata?.uid).toBe(claimUid);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(await list("pods")).toEqual([]);
    });

    test("restore: the same specs as before the archive, on the same volume claim", async () => {
      lifecycle = "active";
      const up = await timed("cluster restore", () => stack.up());
      expect(up.summary.resourceChanges).toEqual({ same: 10, update: 2 });
      expect(await workloadSpecs()).toEqual(beforeArchive);
      await api.client.waitFor("the database pod back", async () =>
        (await podsOf("database")).length === 1 ? true : undefined,
      );
      expect((await api.client.get(claimPath))?.metadata?.uid).toBe(claimUid);
    });

    test("a preview after restore plans no change, and the stored state holds no secret value", async () => {
      const preview = await timed("cluster preview", () =>
        stack.preview({ expectNoChanges: true }),
      );
      expect(preview.changeSummary).toEqual({ same: 12 });
      expectNoSecretValue(await storedState(stack));
    });

    test("cleanup: retention lifted, destroy, and the namespace with its volume claim is gone", async () => {
      const { deployment, released } = withoutRetention(await stack.exportStack());
      expect(released).toBe(1);
      await stack.importStack(deployment);
      const destroy = await timed("cluster cleanup", () => stack.destroy());
      expect(destroy.summary.resourceChanges).toEqual({ delete: 12 });
      await api.client.waitGone(`/api/v1/namespaces/${namespace}`, 120_000);
      expect(await api.client.get(claimPath)).toBeUndefined();
    });
  },
);
