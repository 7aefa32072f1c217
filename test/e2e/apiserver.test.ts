import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startApiServer, type ApiServer } from "../support/apiserver.js";
import type { KubeObject } from "../support/kube.js";

// One control plane for the file: starting it costs seconds, the tests only add objects.
let api: ApiServer;

beforeAll(async () => {
  api = await startApiServer();
});

afterAll(async () => {
  await api?.stop();
});

function configMap(namespace: string, name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace }, data };
}

describe("test API server", { timeout: 150_000 }, () => {
  test("reports the version stamped at build time", () => {
    expect(api.version).toBe("v1.36.0");
  });

  test("writes a kubeconfig that reaches the server with the token and CA", async () => {
    const config = JSON.parse(await readFile(api.kubeconfigPath, "utf8"));
    expect(config.clusters[0].cluster.server).toBe(api.server);
    expect(
      Buffer.from(config.clusters[0].cluster["certificate-authority-data"], "base64").toString(),
    ).toBe(api.caPem);
    expect(config.users[0].user.token).toBe(api.token);
    expect(api.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  test("creates a namespace and objects in it", async () => {
    await api.client.create("/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "create-test" },
    });
    await api.client.create(
      "/api/v1/namespaces/create-test/configmaps",
      configMap("create-test", "settings", { mode: "box" }),
    );
    const live = await api.client.get("/api/v1/namespaces/create-test/configmaps/settings");
    expect(live?.data).toEqual({ mode: "box" });
  });

  test("server-side applies a manifest and records its field manager", async () => {
    const manifest = configMap("default", "applied", { replicas: "1" });
    await api.client.apply(manifest, "sitestack-e2e");
    const updated = await api.client.apply(
      { ...manifest, data: { replicas: "2" } },
      "sitestack-e2e",
    );
    expect(updated.data).toEqual({ replicas: "2" });
    expect(updated.metadata?.managedFields?.map((field) => field.manager)).toEqual([
      "sitestack-e2e",
    ]);
  });

  test("deletes a namespace with everything in it (namespace controller)", async () => {
    await api.client.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: "doomed" } });
    await api.client.apply(configMap("doomed", "inside", { a: "b" }));
    await api.client.delete("/api/v1/namespaces/doomed");
    await api.client.waitGone("/api/v1/namespaces/doomed", 120_000);
    expect(await api.client.get("/api/v1/namespaces/doomed/configmaps/inside")).toBeUndefined();
  });

  test("garbage-collects a dependent once its owner is deleted in foreground", async () => {
    const owner = await api.client.apply(configMap("default", "owner", {}));
    await api.client.apply({
      ...configMap("default", "dependent", {}),
      metadata: {
        name: "dependent",
        namespace: "default",
        ownerReferences: [
          { apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: owner.metadata?.uid },
        ],
      },
    });
    // Foreground is what the Kubernetes provider uses; without the garbage collector it never ends.
    await api.client.delete("/api/v1/namespaces/default/configmaps/owner", "Foreground");
    await api.client.waitGone("/api/v1/namespaces/default/configmaps/owner", 120_000);
    expect(await api.client.get("/api/v1/namespaces/default/configmaps/dependent")).toBeUndefined();
  });

  test("serves the cert-manager Issuer and Certificate kinds", async () => {
    await api.client.apply({
      apiVersion: "cert-manager.io/v1",
      kind: "Issuer",
      metadata: { name: "self-signed", namespace: "default" },
      spec: { selfSigned: {} },
    });
    const certificate = await api.client.apply({
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name: "acme-com", namespace: "default" },
      spec: {
        secretName: "acme-com-tls",
        dnsNames: ["acme.com"],
        issuerRef: { name: "self-signed", kind: "Issuer" },
      },
    });
    expect(certificate.spec).toMatchObject({ secretName: "acme-com-tls", dnsNames: ["acme.com"] });
  });

  test("serves the Gateway API HTTPRoute kind and validates it with the CRD schema", async () => {
    const route = await api.client.apply({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: "acme", namespace: "default" },
      spec: {
        parentRefs: [{ name: "public" }],
        hostnames: ["acme.com"],
        rules: [{ backendRefs: [{ name: "acme-web", port: 80 }] }],
      },
    });
    expect(route.spec).toMatchObject({ hostnames: ["acme.com"] });
    await expect(
      api.client.apply({
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: "bad", namespace: "default" },
        spec: { hostnames: ["not a hostname!"] },
      }),
    ).rejects.toThrow(/spec\.hostnames\[0\]/);
  });

  test("stops every process it started", async () => {
    await api.stop();
    await expect(api.client.get("/readyz")).rejects.toThrow(/ECONNREFUSED/);
  });
});
