import { describe, expect, test } from "vitest";
import {
  autoname,
  checkResource,
  type CheckInput,
} from "../../stacks/engine/kubernetes-standin/check.js";
import { makeSecret, UNKNOWN_VALUE } from "../../stacks/engine/kubernetes-standin/properties.js";

const seed = new Uint8Array([1, 2, 3, 4]);

function input(overrides: Partial<CheckInput> = {}): CheckInput {
  return {
    type: "kubernetes:core/v1:ConfigMap",
    name: "settings",
    olds: {},
    news: { apiVersion: "v1", kind: "ConfigMap", data: { a: "1" } },
    randomSeed: seed,
    defaultNamespace: "default",
    namespaced: true,
    ...overrides,
  };
}

describe("checkResource", () => {
  test("names an unnamed object <name>-<8 hex> and marks it autonamed", () => {
    const { inputs, failures } = checkResource(input());
    expect(failures).toEqual([]);
    expect(inputs.metadata).toEqual({
      name: autoname("settings", seed),
      namespace: "default",
      annotations: { "pulumi.com/autonamed": "true" },
    });
    expect(autoname("settings", seed)).toMatch(/^settings-[0-9a-f]{8}$/);
  });

  test("the same seed gives the same name (preview and update agree)", () => {
    expect(autoname("web", seed)).toBe(autoname("web", new Uint8Array([1, 2, 3, 4])));
    expect(autoname("web", seed)).not.toBe(autoname("web", new Uint8Array([9])));
  });

  test("keeps the autoname of the previous inputs on update, whatever the seed", () => {
    const olds = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings-0badc0de", annotations: { "pulumi.com/autonamed": "true" } },
    };
    const { inputs } = checkResource(input({ olds, randomSeed: new Uint8Array([7, 7]) }));
    expect(inputs.metadata).toMatchObject({ name: "settings-0badc0de" });
  });

  test("does not adopt an old name the user chose and then removed", () => {
    const olds = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "fixed" } };
    const { inputs } = checkResource(input({ olds }));
    expect(inputs.metadata).toMatchObject({ name: autoname("settings", seed) });
  });

  test("leaves an explicit or not-yet-known name alone", () => {
    for (const name of ["fixed", UNKNOWN_VALUE]) {
      const news = { apiVersion: "v1", kind: "ConfigMap", metadata: { name } };
      expect(checkResource(input({ news })).inputs.metadata).toEqual({
        name,
        namespace: "default",
      });
    }
  });

  test("uses the engine's proposed name when autonaming is configured, and fails when it is disabled", () => {
    const proposed = checkResource(
      input({ autonaming: { mode: "enforce", proposedName: "cfg-x" } }),
    );
    expect(proposed.inputs.metadata).toMatchObject({ name: "cfg-x" });
    const disabled = checkResource(input({ autonaming: { mode: "disable", proposedName: "" } }));
    expect(disabled.failures).toEqual([
      {
        property: "metadata.name",
        reason: "autonaming is disabled, resource requires the .metadata.name field to be set",
      },
    ]);
  });

  test("sets the default namespace on namespaced kinds only, and keeps an explicit one", () => {
    const namespaced = checkResource(input({ defaultNamespace: "apps" }));
    expect(namespaced.inputs.metadata).toMatchObject({ namespace: "apps" });
    const explicit = checkResource(
      input({
        news: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "team" } },
      }),
    );
    expect(explicit.inputs.metadata).toEqual({ name: "x", namespace: "team" });
    const clusterScoped = checkResource(
      input({
        type: "kubernetes:core/v1:Namespace",
        news: { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } },
        namespaced: false,
      }),
    );
    expect(clusterScoped.inputs.metadata).toEqual({ name: "shop" });
  });

  test("keeps secret values wrapped", () => {
    const news = {
      apiVersion: "v1",
      kind: "Secret",
      stringData: makeSecret({ password: "hunter2" }),
    };
    const { inputs } = checkResource(input({ type: "kubernetes:core/v1:Secret", news }));
    expect(inputs.stringData).toEqual(makeSecret({ password: "hunter2" }));
  });

  test("rejects an apiVersion or kind that does not match the resource type", () => {
    const news = { apiVersion: "apps/v1", kind: "Deployment" };
    expect(checkResource(input({ news })).failures).toEqual([
      {
        property: "apiVersion",
        reason: 'apiVersion must be "v1" for kubernetes:core/v1:ConfigMap, got "apps/v1"',
      },
      {
        property: "kind",
        reason: 'kind must be "ConfigMap" for kubernetes:core/v1:ConfigMap, got "Deployment"',
      },
    ]);
  });

  test("rejects types that are not Kubernetes objects and List kinds", () => {
    expect(checkResource(input({ type: "kubernetes:helm.sh/v3:Release" })).failures).toEqual([
      {
        property: "",
        reason:
          "resource type kubernetes:helm.sh/v3:Release is not supported by the offline stand-in",
      },
    ]);
    expect(checkResource(input({ type: "kubernetes:index:Thing" })).failures).toEqual([
      {
        property: "",
        reason: "resource type kubernetes:index:Thing is not supported by the offline stand-in",
      },
    ]);
    const list = checkResource(
      input({
        type: "kubernetes:core/v1:ConfigMapList",
        news: { apiVersion: "v1", kind: "ConfigMapList" },
      }),
    );
    expect(list.failures).toEqual([
      {
        property: "kind",
        reason:
          "ConfigMapList objects cannot be created directly; use the underlying resource type instead",
      },
    ]);
  });

  test("rejects generateName, which server-side apply cannot honour", () => {
    const news = { apiVersion: "v1", kind: "ConfigMap", metadata: { generateName: "cfg-" } };
    expect(checkResource(input({ news })).failures).toEqual([
      {
        property: "metadata.generateName",
        reason:
          "the `.metadata.generateName` field is not supported in Server-Side Apply or YAML rendering mode",
      },
    ]);
  });
});
