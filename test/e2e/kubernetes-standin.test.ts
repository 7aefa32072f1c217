import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { installStandinKubernetesProvider } from "../../stacks/engine/kubernetes-standin/install.js";
import { REDACTED_SECRET_VALUE } from "../../stacks/engine/kubernetes-standin/render.js";
import { startApiServer, type ApiServer } from "../support/apiserver.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";
import { stepTimings } from "../support/step-timings.js";

// The secret the program stores in a Kubernetes Secret; it must never appear in a rendered file,
// in the exported state or in the Deployment.
const PASSWORD = "hunter2-standin-e2e";
const NAMESPACE = "standin-e2e";

/**
 * A small site: a Namespace, an autonamed ConfigMap and Secret, a Deployment that reads both, and
 * a Service. `stage` "changed" edits the ConfigMap data (the real provider replaces ConfigMaps on
 * data changes) and the image (an in-place update).
 */
function program(provider: () => k8s.ProviderArgs) {
  return async () => {
    const config = new pulumi.Config();
    const changed = config.require("stage") === "changed";
    const opts = { provider: new k8s.Provider("k8s", provider()) };
    const ns = new k8s.core.v1.Namespace("ns", { metadata: { name: NAMESPACE } }, opts);
    const namespace = ns.metadata.name;
    const settings = new k8s.core.v1.ConfigMap(
      "settings",
      { metadata: { namespace }, data: { WEB_GREETING: changed ? "bonjour" : "hello" } },
      opts,
    );
    const secret = new k8s.core.v1.Secret(
      "db",
      {
        metadata: { namespace },
        stringData: { WEB_DB_PASSWORD: config.requireSecret("dbPassword") },
      },
      opts,
    );
    const labels = { app: "web" };
    new k8s.apps.v1.Deployment(
      "web",
      {
        metadata: { name: "web", namespace },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name: "web",
                  image: changed ? "nginx:1.28" : "nginx:1.27",
                  envFrom: [
                    { configMapRef: { name: settings.metadata.name } },
                    { secretRef: { name: secret.metadata.name } },
                  ],
                  ports: [{ containerPort: 80 }],
                },
              ],
            },
          },
        },
      },
      opts,
    );
    new k8s.core.v1.Service(
      "web-svc",
      {
        metadata: { name: "web", namespace },
        spec: { selector: labels, ports: [{ port: 80, targetPort: 80 }] },
      },
      opts,
    );
    return { configMapName: settings.metadata.name, secretName: secret.metadata.name };
  };
}

// Wall time of each step, printed at the end (the issue asks for them in the report).
const timings = stepTimings("kubernetes stand-in timings");
const timed = timings.timed;

let engine: TestEngine;
const savedKubeconfig = process.env.KUBECONFIG;

beforeAll(async () => {
  engine = await startTestEngine();
  await installStandinKubernetesProvider({ pulumiHome: join(engine.dir, "home"), warn: () => {} });
});

afterAll(async () => {
  timings.print();
  await engine?.dispose();
});

/**
 * The password is in no rendered text and not in the state file the backend stores (only
 * ciphertext), while the engine still holds the Secret's outputs as secrets (`exportStack`
 * decrypts with --show-secrets and shows them wrapped): `stringData` as recorded in render mode,
 * the API server's base64 `data` against a cluster.
 */
async function expectNoSecretAtRest(
  stack: Stack,
  rendered: string,
  secretOutput: string,
): Promise<void> {
  const base64 = Buffer.from(PASSWORD).toString("base64");
  const stored = await readFile(
    join(engine.dir, "state", ".pulumi", "stacks", "standin-e2e", `${stack.name}.json`),
    "utf8",
  );
  for (const haystack of [rendered, stored]) {
    expect(haystack).not.toContain(PASSWORD);
    expect(haystack).not.toContain(base64);
  }
  expect(stored).toContain("ciphertext");
  const secret = (await stack.exportStack()).deployment.resources.find(
    (r: { type: string }) => r.type === "kubernetes:core/v1:Secret",
  );
  const value = secretOutput === "data" ? base64 : PASSWORD;
  expect(secret.outputs[secretOutput]).toEqual({
    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
    plaintext: JSON.stringify({ WEB_DB_PASSWORD: value }),
  });
}

async function newStack(name: string, provider: () => k8s.ProviderArgs): Promise<Stack> {
  const stack = await engine.inlineStack("standin-e2e", name, program(provider));
  await stack.setConfig("stage", { value: "initial" });
  await stack.setConfig("dbPassword", { value: PASSWORD, secret: true });
  return stack;
}

describe("render mode: no cluster, KUBECONFIG unset", { timeout: 300_000 }, () => {
  let stack: Stack;
  let renderDir: string;
  const manifests = () => join(renderDir, "1-manifest");
  const files = async () => (existsSync(manifests()) ? (await readdir(manifests())).sort() : []);
  const allText = async () =>
    (await Promise.all((await files()).map((f) => readFile(join(manifests(), f), "utf8")))).join(
      "\n",
    );

  beforeAll(async () => {
    // The SDK copies $KUBECONFIG into the provider's inputs; render mode must not see a cluster.
    delete process.env.KUBECONFIG;
    renderDir = join(engine.dir, "rendered");
    stack = await newStack("render", () => ({ renderYamlToDirectory: renderDir }));
  });

  afterAll(() => {
    if (savedKubeconfig !== undefined) process.env.KUBECONFIG = savedKubeconfig;
  });

  test("preview plans every object and writes nothing", async () => {
    const preview = await timed("render preview", () => stack.preview());
    expect(preview.changeSummary).toEqual({ create: 7 });
    expect(await files()).toEqual([]);
  });

  test("up writes one file per object, named like the real provider's", async () => {
    let output = "";
    const up = await timed("render up", () => stack.up({ onOutput: (out) => (output += out) }));
    expect(up.summary.resourceChanges).toEqual({ create: 7 });
    expect(output).toContain(
      "pulumi-resource-kubernetes 4.34.2 is sitestack's offline stand-in (rendering YAML to",
    );
    const configMap = up.outputs.configMapName?.value as string;
    const secret = up.outputs.secretName?.value as string;
    expect(configMap).toMatch(/^settings-[0-9a-f]{8}$/);
    expect(secret).toMatch(/^db-[0-9a-f]{8}$/);
    expect(await files()).toEqual(
      [
        `apps_v1-deployment-${NAMESPACE}-web.yaml`,
        `v1-configmap-${NAMESPACE}-${configMap}.yaml`,
        `v1-namespace-default-${NAMESPACE}.yaml`,
        `v1-secret-${NAMESPACE}-${secret}.yaml`,
        `v1-service-${NAMESPACE}-web.yaml`,
      ].sort(),
    );
    const deployment = await readFile(
      join(manifests(), `apps_v1-deployment-${NAMESPACE}-web.yaml`),
      "utf8",
    );
    expect(deployment).toContain("image: nginx:1.27");
    expect(deployment).toContain(`name: ${configMap}`);
  });

  test("no secret value reaches a rendered file or the stored state", async () => {
    const secretFile = (await files()).find((f) => f.startsWith("v1-secret-")) as string;
    const text = await readFile(join(manifests(), secretFile), "utf8");
    expect(text).toContain(`WEB_DB_PASSWORD: "${REDACTED_SECRET_VALUE}"`);
    await expectNoSecretAtRest(stack, await allText(), "stringData");
  });

  test("refresh finds no changes, and neither does a preview after it", async () => {
    const refresh = await timed("render refresh", () => stack.refresh({ expectNoChanges: true }));
    expect(refresh.summary.resourceChanges).toEqual({ same: 7 });
    const preview = await stack.preview({ expectNoChanges: true });
    expect(preview.changeSummary).toEqual({ same: 7 });
  });

  test("a change replaces the ConfigMap file and updates the Deployment file", async () => {
    const before = await files();
    await stack.setConfig("stage", { value: "changed" });
    const up = await timed("render change up", () => stack.up());
    expect(up.summary.resourceChanges).toEqual({ same: 5, replace: 1, update: 1 });
    const configMap = up.outputs.configMapName?.value as string;
    const after = await files();
    expect(after).toHaveLength(5);
    expect(after).toContain(`v1-configmap-${NAMESPACE}-${configMap}.yaml`);
    expect(before).not.toContain(`v1-configmap-${NAMESPACE}-${configMap}.yaml`);
    expect(
      await readFile(join(manifests(), `v1-configmap-${NAMESPACE}-${configMap}.yaml`), "utf8"),
    ).toContain("WEB_GREETING: bonjour");
    const deployment = await readFile(
      join(manifests(), `apps_v1-deployment-${NAMESPACE}-web.yaml`),
      "utf8",
    );
    expect(deployment).toContain("image: nginx:1.28");
    expect(deployment).toContain(`name: ${configMap}`);
  });

  test("destroy removes every file", async () => {
    const destroy = await timed("render destroy", () => stack.destroy());
    expect(destroy.summary.resourceChanges).toEqual({ delete: 7 });
    expect(await files()).toEqual([]);
  });
});

describe("against a real API server: server-side apply", { timeout: 300_000 }, () => {
  let api: ApiServer;
  let stack: Stack;
  const nsPath = `/api/v1/namespaces/${NAMESPACE}`;
  const path = (collection: string, name: string) => `${nsPath}/${collection}/${name}`;
  const deploymentPath = `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/web`;

  beforeAll(async () => {
    api = await startApiServer({ crds: false });
    // The kubeconfig as a path (the form KUBECONFIG takes), through the provider's own setting.
    stack = await newStack("cluster", () => ({ kubeconfig: api.kubeconfigPath }));
  });

  afterAll(async () => {
    await api?.stop();
  });

  test("preview plans every object and creates nothing", async () => {
    const preview = await timed("cluster preview", () => stack.preview());
    expect(preview.changeSummary).toEqual({ create: 7 });
    expect(await api.client.get(nsPath)).toBeUndefined();
  });

  test("up creates the objects with the expected fields, managed by pulumi-kubernetes", async () => {
    const up = await timed("cluster up", () => stack.up());
    expect(up.summary.resourceChanges).toEqual({ create: 7 });
    const configMapName = up.outputs.configMapName?.value as string;
    const secretName = up.outputs.secretName?.value as string;
    expect((await api.client.get(nsPath))?.status).toEqual({ phase: "Active" });
    const configMap = await api.client.get(path("configmaps", configMapName));
    expect(configMap?.data).toEqual({ WEB_GREETING: "hello" });
    expect(configMap?.metadata?.annotations).toEqual({ "pulumi.com/autonamed": "true" });
    const secret = await api.client.get(path("secrets", secretName));
    expect(secret?.data).toEqual({ WEB_DB_PASSWORD: Buffer.from(PASSWORD).toString("base64") });
    const deployment = await api.client.get(deploymentPath);
    const container = (
      deployment?.spec as { template: { spec: { containers: Record<string, unknown>[] } } }
    ).template.spec.containers[0];
    expect(container?.image).toBe("nginx:1.27");
    expect(container?.envFrom).toEqual([
      { configMapRef: { name: configMapName } },
      { secretRef: { name: secretName } },
    ]);
    expect(deployment?.metadata?.managedFields?.map((f) => f.manager)).toContain(
      "pulumi-kubernetes",
    );
    const service = await api.client.get(path("services", "web"));
    expect((service?.spec as { ports: { port: number }[] }).ports.map((p) => p.port)).toEqual([80]);
  });

  test("the Secret value is kept secret in the stored state", async () => {
    await expectNoSecretAtRest(stack, "", "data");
  });

  test("refresh reads the live objects and finds no changes", async () => {
    const refresh = await timed("cluster refresh", () => stack.refresh({ expectNoChanges: true }));
    expect(refresh.summary.resourceChanges).toEqual({ same: 7 });
    const preview = await stack.preview({ expectNoChanges: true });
    expect(preview.changeSummary).toEqual({ same: 7 });
  });

  test("a change replaces the ConfigMap and updates the Deployment in place", async () => {
    const before = await stack.outputs();
    const uid = (await api.client.get(deploymentPath))?.metadata?.uid;
    await stack.setConfig("stage", { value: "changed" });
    const up = await timed("cluster change up", () => stack.up());
    expect(up.summary.resourceChanges).toEqual({ same: 5, replace: 1, update: 1 });
    const configMapName = up.outputs.configMapName?.value as string;
    expect(configMapName).not.toBe(before.configMapName?.value);
    expect((await api.client.get(path("configmaps", configMapName)))?.data).toEqual({
      WEB_GREETING: "bonjour",
    });
    expect(
      await api.client.get(path("configmaps", before.configMapName?.value as string)),
    ).toBeUndefined();
    const deployment = await api.client.get(deploymentPath);
    expect(deployment?.metadata?.uid).toBe(uid);
    expect(JSON.stringify(deployment?.spec)).toContain('"image":"nginx:1.28"');
  });

  test("destroy deletes every object, the namespace included", async () => {
    const destroy = await timed("cluster destroy", () => stack.destroy());
    expect(destroy.summary.resourceChanges).toEqual({ delete: 7 });
    expect(await api.client.get(nsPath)).toBeUndefined();
    expect(await api.client.get(deploymentPath)).toBeUndefined();
  });
});
