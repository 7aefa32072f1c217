import { describe, expect, test } from "vitest";
import {
  diffResource,
  formatPath,
  prune,
  type DiffInput,
} from "../../stacks/engine/kubernetes-standin/diff.js";
import {
  makeSecret,
  UNKNOWN_VALUE,
  type PropertyMap,
} from "../../stacks/engine/kubernetes-standin/properties.js";

const deployment: PropertyMap = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "shop" },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
    },
  },
};

// What a state looks like after an apply: the live object (with server-added fields) and the inputs.
function stateOf(inputs: PropertyMap, live: PropertyMap = inputs): PropertyMap {
  return { ...live, __inputs: inputs };
}

function diff(oldInputs: PropertyMap, news: PropertyMap, extra: Partial<DiffInput> = {}) {
  return diffResource({
    oldInputs,
    oldState: stateOf(oldInputs),
    news,
    namespaced: true,
    ...extra,
  });
}

function withPath(object: PropertyMap, path: string[], value: unknown): PropertyMap {
  const copy = structuredClone(object) as Record<string, unknown>;
  let cursor = copy;
  for (const key of path.slice(0, -1)) cursor = cursor[key] as Record<string, unknown>;
  cursor[path[path.length - 1] as string] = value;
  return copy as PropertyMap;
}

describe("diffResource", () => {
  test("reports no changes for equal inputs", () => {
    expect(diff(deployment, structuredClone(deployment))).toEqual({
      changes: [],
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  test("ignores what the API server added (defaults, status, managed fields)", () => {
    const live = withPath(withPath(deployment, ["status"], { replicas: 0 }), ["metadata"], {
      name: "web",
      namespace: "shop",
      uid: "u1",
      resourceVersion: "7",
      generation: 1,
      managedFields: [],
    });
    const withDefaults = withPath(
      live,
      ["spec", "template", "spec", "containers"],
      [
        {
          name: "web",
          image: "nginx:1.27",
          imagePullPolicy: "IfNotPresent",
          terminationMessagePath: "/dev/termination-log",
        },
      ],
    );
    const result = diffResource({
      oldInputs: deployment,
      oldState: stateOf(deployment, withDefaults),
      news: deployment,
      namespaced: true,
    });
    expect(result.changes).toEqual([]);
  });

  test("shows drift found by a refresh as an update", () => {
    const drifted = withPath(deployment, ["spec", "replicas"], 3);
    const result = diffResource({
      oldInputs: deployment,
      oldState: stateOf(deployment, drifted),
      news: deployment,
      namespaced: true,
    });
    expect(result.changes).toEqual([{ path: "spec.replicas", kind: "update", replace: false }]);
  });

  test("updates in place for an image change", () => {
    const news = withPath(
      deployment,
      ["spec", "template", "spec", "containers"],
      [{ name: "web", image: "nginx:1.28" }],
    );
    expect(diff(deployment, news)).toEqual({
      changes: [{ path: "spec.template.spec.containers[0].image", kind: "update", replace: false }],
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  test.each([
    ["metadata.name", ["metadata", "name"], "web2"],
    ["metadata.namespace", ["metadata", "namespace"], "other"],
    ["spec.selector.matchLabels.app", ["spec", "selector", "matchLabels", "app"], "web2"],
  ])("replaces a Deployment when %s changes", (path, keys, value) => {
    const result = diff(deployment, withPath(deployment, keys, value));
    expect(result.replaces).toEqual([path]);
  });

  test("deletes a user-named object before creating its replacement with the same name", () => {
    const news = withPath(deployment, ["spec", "selector", "matchLabels", "app"], "web2");
    expect(diff(deployment, news).deleteBeforeReplace).toBe(true);
  });

  test("creates an autonamed replacement before deleting the old object", () => {
    const named = withPath(deployment, ["metadata"], {
      name: "web-1a2b3c4d",
      namespace: "shop",
      annotations: { "pulumi.com/autonamed": "true" },
    });
    const news = withPath(named, ["spec", "selector", "matchLabels", "app"], "web2");
    expect(diff(named, news)).toMatchObject({
      replaces: ["spec.selector.matchLabels.app"],
      deleteBeforeReplace: false,
    });
  });

  test("treats a missing namespace as default", () => {
    const unset = withPath(deployment, ["metadata"], { name: "web" });
    const explicit = withPath(deployment, ["metadata"], { name: "web", namespace: "default" });
    expect(diff(unset, explicit).changes).toEqual([]);
  });

  test("replaces a StatefulSet when its volumeClaimTemplates change", () => {
    const set: PropertyMap = {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "db" },
      spec: { serviceName: "db", volumeClaimTemplates: [{ metadata: { name: "data" } }] },
    };
    const news = withPath(
      set,
      ["spec", "volumeClaimTemplates"],
      [{ metadata: { name: "pgdata" } }],
    );
    expect(diff(set, news).replaces).toEqual(["spec.volumeClaimTemplates[0].metadata.name"]);
  });

  test("updates a PVC's storage request in place but replaces it for any other spec change", () => {
    const pvc: PropertyMap = {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    };
    const bigger = withPath(pvc, ["spec", "resources", "requests", "storage"], "2Gi");
    expect(diff(pvc, bigger).replaces).toEqual([]);
    const classed = withPath(pvc, ["spec", "storageClassName"], "fast");
    expect(diff(pvc, classed).replaces).toEqual(["spec.storageClassName"]);
  });

  test("replaces a Service when spec.clusterIP changes, updates it for ports", () => {
    const svc: PropertyMap = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web" },
      spec: { ports: [{ port: 80 }] },
    };
    expect(diff(svc, withPath(svc, ["spec", "clusterIP"], "10.0.0.9")).replaces).toEqual([
      "spec.clusterIP",
    ]);
    expect(diff(svc, withPath(svc, ["spec", "ports"], [{ port: 8080 }])).replaces).toEqual([]);
  });

  test("replaces a Job when its pod template changes", () => {
    const job: PropertyMap = {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "migrate" },
      spec: { template: { spec: { containers: [{ name: "m", image: "app:1" }] } } },
    };
    const news = withPath(
      job,
      ["spec", "template", "spec", "containers"],
      [{ name: "m", image: "app:2" }],
    );
    expect(diff(job, news).replaces).toEqual(["spec.template.spec.containers[0].image"]);
  });

  test("replaces ConfigMaps on data changes unless the provider makes them mutable", () => {
    const cm: PropertyMap = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cfg" },
      data: { A: "1" },
    };
    const news = withPath(cm, ["data", "A"], "2");
    expect(diff(cm, news).replaces).toEqual(["data.A"]);
    expect(diff(cm, news, { configMapMutable: true }).replaces).toEqual([]);
  });

  test("sees a Secret's stringData and the live base64 data as equal, and replaces it when a value changes", () => {
    const secret: PropertyMap = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "db" },
      stringData: makeSecret({ password: "hunter2" }),
    };
    const live: PropertyMap = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "db", namespace: "default", uid: "x" },
      data: makeSecret({ password: Buffer.from("hunter2").toString("base64") }),
      type: "Opaque",
    };
    const same = diffResource({
      oldInputs: secret,
      oldState: stateOf(secret, live),
      news: secret,
      namespaced: true,
    });
    expect(same.changes).toEqual([]);
    const changed = withPath(secret, ["stringData"], makeSecret({ password: "correct horse" }));
    expect(
      diffResource({
        oldInputs: secret,
        oldState: stateOf(secret, live),
        news: changed,
        namespaced: true,
      }).replaces,
    ).toEqual(["data.password"]);
  });

  test("reports a value not known yet as a change", () => {
    const news = withPath(deployment, ["spec", "replicas"], UNKNOWN_VALUE);
    expect(diff(deployment, news).changes).toEqual([
      { path: "spec.replicas", kind: "update", replace: false },
    ]);
  });

  test("reports added and removed fields", () => {
    const labelled = withPath(deployment, ["metadata", "labels"], {
      "app.kubernetes.io/name": "web",
    });
    expect(diff(deployment, labelled).changes).toEqual([
      { path: "metadata.labels", kind: "add", replace: false },
    ]);
    expect(diff(labelled, deployment).changes).toEqual([
      { path: "metadata.labels", kind: "delete", replace: false },
    ]);
  });
});

describe("prune and formatPath", () => {
  test("prune keeps only the input's shape", () => {
    expect(
      prune({ a: 1, b: { c: 2, d: 3 }, e: [{ f: 1, g: 2 }] }, { b: { c: 0 }, e: [{ f: 0 }] }),
    ).toEqual({
      b: { c: 2 },
      e: [{ f: 1 }],
    });
  });

  test("formatPath quotes keys that are not identifiers", () => {
    expect(formatPath(["metadata", "labels", "app.kubernetes.io/name"])).toBe(
      'metadata.labels["app.kubernetes.io/name"]',
    );
    expect(formatPath(["spec", "ports", 0, "port"])).toBe("spec.ports[0].port");
  });
});
