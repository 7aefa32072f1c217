import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { makeSecret } from "../../stacks/engine/kubernetes-standin/properties.js";
import {
  REDACTED_SECRET_VALUE,
  removeRenderedObject,
  renderPath,
  renderYaml,
  writeRenderedObject,
} from "../../stacks/engine/kubernetes-standin/render.js";

describe("renderPath", () => {
  test.each([
    [
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" } },
      "/r/1-manifest/apps_v1-deployment-shop-web.yaml",
    ],
    [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } },
      "/r/1-manifest/v1-namespace-default-shop.yaml",
    ],
    [
      { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "le" } },
      "/r/1-manifest/cert-manager.io_v1-clusterissuer-default-le.yaml",
    ],
    [
      {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: "certificates.cert-manager.io" },
      },
      "/r/0-crd/apiextensions.k8s.io_v1-customresourcedefinition-default-certificates.cert-manager.io.yaml",
    ],
  ])("names the file like the real provider (%#)", (object, path) => {
    expect(renderPath(object, "/r")).toBe(path);
  });

  test("refuses an object without a name", () => {
    expect(() => renderPath({ apiVersion: "v1", kind: "ConfigMap", metadata: {} }, "/r")).toThrow(
      "cannot render ConfigMap without metadata.name",
    );
  });
});

describe("secret redaction", () => {
  test("never writes a Secret's data or stringData values, keeping the keys", () => {
    const yaml = renderYaml({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "db", namespace: "shop" },
      type: "Opaque",
      data: makeSecret({ token: Buffer.from("s3cr3t-token").toString("base64") }),
      stringData: { password: "hunter2" },
    });
    expect(yaml).not.toContain("hunter2");
    expect(yaml).not.toContain(Buffer.from("s3cr3t-token").toString("base64"));
    expect(yaml).toBe(
      [
        "apiVersion: v1",
        "kind: Secret",
        "metadata:",
        "  name: db",
        "  namespace: shop",
        "type: Opaque",
        "data:",
        `  token: "${REDACTED_SECRET_VALUE}"`,
        "stringData:",
        `  password: "${REDACTED_SECRET_VALUE}"`,
        "",
      ].join("\n"),
    );
  });

  test("redacts a value marked secret in any other kind", () => {
    const yaml = renderYaml({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cfg" },
      data: { PUBLIC: "yes", LEAKY: makeSecret("hunter2") },
    });
    expect(yaml).not.toContain("hunter2");
    expect(yaml).toContain("PUBLIC: yes");
  });
});

describe("rendered files", () => {
  let dir = "";
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("are written owner-only and removed again", async () => {
    dir = await mkdtemp(join(tmpdir(), "standin-render-"));
    const object = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cfg", namespace: "shop" },
      data: { A: "1" },
    };
    const path = await writeRenderedObject(object, dir);
    expect(path).toBe(join(dir, "1-manifest", "v1-configmap-shop-cfg.yaml"));
    expect(await readFile(path, "utf8")).toContain('A: "1"');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await removeRenderedObject(object, dir);
    expect(await readdir(join(dir, "1-manifest"))).toEqual([]);
    await expect(removeRenderedObject(object, dir)).resolves.toBeUndefined();
  });
});
