import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, test } from "vitest";
import {
  Staging,
  archivedObject,
  plainSecretLeaks,
  resolveStaging,
} from "../../components/staging/index.js";
import { isSecret, reveal, setMocks } from "../support/mocks.js";
import { renderedObjects } from "./staging.fixtures.js";

const mocks = await setMocks({
  state: {
    "kubernetes:networking.k8s.io/v1:Ingress": () => ({
      status: { loadBalancer: { ingress: [{ ip: "203.0.113.7" }] } },
    }),
  },
});

const oidcSecret = "oidc-secret-value-7f3a";
const dbPassword = "db-password-value-91c2";

function secretValues() {
  return {
    "site.oidcClientSecret": pulumi.secret(oidcSecret),
    "database.password": pulumi.secret(dbPassword),
  };
}

function outputOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

const activeChildren = [
  "kubernetes:apps/v1:Deployment::pr-42-deployment-pr-42-box",
  "kubernetes:apps/v1:StatefulSet::pr-42-statefulset-pr-42-box-database",
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler::pr-42-horizontalpodautoscaler-pr-42-box",
  "kubernetes:batch/v1:CronJob::pr-42-cronjob-pr-42-box-report",
  "kubernetes:batch/v1:Job::pr-42-job-pr-42-box-migrate",
  "kubernetes:core/v1:ConfigMap::pr-42-configmap-pr-42-box-settings",
  "kubernetes:core/v1:Namespace::pr-42",
  "kubernetes:core/v1:Secret::pr-42-secret-pr-42-box-chart",
  "kubernetes:core/v1:Secret::pr-42-secret-values",
  "kubernetes:core/v1:Service::pr-42-service-pr-42-box",
  "kubernetes:networking.k8s.io/v1:Ingress::pr-42-ingress-pr-42-box",
  "sitestack:staging:Staging::pr-42",
];

describe("Staging", () => {
  beforeEach(() => mocks.reset());

  test("creates the namespace, the secret-values Secret and one resource per rendered object", async () => {
    new Staging("pr-42", { objects: renderedObjects(), secretValues: secretValues() });
    await mocks.settle();
    expect(mocks.children()).toEqual(activeChildren);
    for (const resource of mocks.resources.filter((r) => r.custom)) {
      expect(resource.parent).toBe("sitestack:staging:Staging::pr-42");
    }
  });

  test("the namespace is staging-<name> and enforces the restricted Pod Security profile", async () => {
    new Staging("pr-42", { objects: [], labels: { team: "qa" } });
    await mocks.settle();
    expect(mocks.find("kubernetes:core/v1:Namespace", "pr-42").inputs.metadata).toEqual({
      name: "staging-pr-42",
      labels: {
        team: "qa",
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
        "app.kubernetes.io/managed-by": "sitestack",
        "sitestack.dev/staging": "pr-42",
      },
    });
  });

  test("baseline is the way out for images that need root", async () => {
    new Staging("pr-42", { objects: [], podSecurity: "baseline" });
    await mocks.settle();
    const labels = (
      mocks.find("kubernetes:core/v1:Namespace", "pr-42").inputs.metadata as {
        labels: Record<string, string>;
      }
    ).labels;
    expect(labels["pod-security.kubernetes.io/enforce"]).toBe("baseline");
  });

  test("every object is placed in the staging's namespace", async () => {
    new Staging("pr-42", { objects: renderedObjects(), secretValues: secretValues() });
    await mocks.settle();
    const namespaces = mocks.resources
      .filter((r) => r.custom && r.type !== "kubernetes:core/v1:Namespace")
      .map((r) => (r.inputs.metadata as { namespace?: string }).namespace);
    expect(new Set(namespaces)).toEqual(new Set(["staging-pr-42"]));
  });

  test("secret values go only into the secret-values Secret, as a Pulumi secret, one key per path", async () => {
    new Staging("pr-42", { objects: renderedObjects(), secretValues: secretValues() });
    await mocks.settle();
    const secret = mocks.find("kubernetes:core/v1:Secret", "pr-42-secret-values");
    expect(isSecret(secret.inputs.stringData)).toBe(true);
    expect(reveal(secret.inputs.stringData)).toEqual({
      "site.oidcClientSecret": oidcSecret,
      "database.password": dbPassword,
    });
    expect((secret.inputs.metadata as { name: string }).name).toBe("pr-42-secret-values");
    expect(mocks.plainOccurrences(oidcSecret)).toEqual([]);
    expect(mocks.plainOccurrences(dbPassword)).toEqual([]);
  });

  test("a Secret the chart renders itself is a Pulumi secret too", async () => {
    new Staging("pr-42", { objects: renderedObjects() });
    await mocks.settle();
    const chartSecret = mocks.find("kubernetes:core/v1:Secret", "pr-42-secret-pr-42-box-chart");
    expect(isSecret(chartSecret.inputs.stringData)).toBe(true);
    expect(mocks.plainOccurrences("chart-default")).toEqual([]);
  });

  test("hosts and the ingress address come from the Ingress", async () => {
    const staging = new Staging("pr-42", { objects: renderedObjects() });
    expect(staging.hosts).toEqual(["pr-42.staging.example.net"]);
    expect(await outputOf(staging.ingressAddress)).toBe("203.0.113.7");
  });

  describe("archived", () => {
    test("keeps data and addresses, drops Jobs and autoscalers", async () => {
      new Staging("pr-42", { objects: renderedObjects(), archived: true });
      await mocks.settle();
      expect(mocks.children()).toEqual(
        activeChildren.filter((key) => !/:Job::|:HorizontalPodAutoscaler::/.test(key)),
      );
    });

    test("scales Deployments and StatefulSets to zero and suspends CronJobs", async () => {
      new Staging("pr-42", { objects: renderedObjects(), archived: true });
      await mocks.settle();
      const spec = (type: string, name: string) =>
        mocks.find(type, name).inputs.spec as Record<string, unknown>;
      expect(spec("kubernetes:apps/v1:Deployment", "pr-42-deployment-pr-42-box").replicas).toBe(0);
      expect(
        spec("kubernetes:apps/v1:StatefulSet", "pr-42-statefulset-pr-42-box-database").replicas,
      ).toBe(0);
      expect(spec("kubernetes:batch/v1:CronJob", "pr-42-cronjob-pr-42-box-report").suspend).toBe(
        true,
      );
    });

    test("restore gives back exactly the inputs from before the archive", async () => {
      const snapshot = async (archived: boolean) => {
        mocks.reset();
        new Staging("pr-42", { objects: renderedObjects(), archived });
        await mocks.settle();
        return mocks.resources.map((r) => ({ key: r.key, inputs: reveal(r.inputs) }));
      };
      const before = await snapshot(false);
      await snapshot(true);
      expect(await snapshot(false)).toEqual(before);
    });
  });
});

describe("resolveStaging validation", () => {
  test("rejects cluster-scoped objects, foreign namespaces, volume-deleting StatefulSets and duplicates, all at once", () => {
    expect(() =>
      resolveStaging("pr-42", {
        objects: [
          {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRole",
            metadata: { name: "reader" },
          },
          {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "a", namespace: "kube-system" },
          },
          {
            apiVersion: "apps/v1",
            kind: "StatefulSet",
            metadata: { name: "db" },
            spec: { persistentVolumeClaimRetentionPolicy: { whenScaled: "Delete" } },
          },
          { apiVersion: "v1", kind: "Service", metadata: { name: "web" } },
          { apiVersion: "v1", kind: "Service", metadata: { name: "web" } },
        ],
      }),
    ).toThrow(
      'Staging "pr-42":\n  ClusterRole/reader is cluster-scoped; a staging chart may only render objects inside the staging\'s namespace\n  ' +
        'ConfigMap/a names namespace "kube-system"; a staging\'s objects live in "staging-pr-42"\n  ' +
        "StatefulSet/db deletes its volumes when scaled down (persistentVolumeClaimRetentionPolicy.whenScaled: Delete), so archive would lose its data: use Retain\n  " +
        "Service/web is rendered twice",
    );
  });

  test.each(["PR-42", "a".repeat(54), "-x"])("rejects the staging name %j", (name) => {
    expect(() => resolveStaging(name, { objects: [] })).toThrow(
      `Staging ${JSON.stringify(name)}:\n  name must be a lowercase DNS label of at most 53 characters (Helm's release name limit) like "pr-42", got ${JSON.stringify(name)}`,
    );
  });
});

describe("archivedObject", () => {
  test("does not modify the rendered object", () => {
    const deployment = renderedObjects().find((o) => o.kind === "Deployment")!;
    const copy = structuredClone(deployment);
    archivedObject(deployment);
    expect(deployment).toEqual(copy);
  });

  test.each([
    ["Service", "kept"],
    ["Ingress", "kept"],
    ["ConfigMap", "kept"],
    ["Secret", "kept"],
    ["Job", "removed"],
    ["HorizontalPodAutoscaler", "removed"],
  ])("%s is %s", (kind, fate) => {
    const object = renderedObjects().find((o) => o.kind === kind)!;
    expect(archivedObject(object)).toEqual(fate === "kept" ? object : undefined);
  });
});

describe("plainSecretLeaks", () => {
  test("names the secret's value path and where it appears, never the value", () => {
    const leaky = renderedObjects().map((o) =>
      o.kind === "ConfigMap"
        ? { ...o, data: { SITE_ID: "42", DSN: `pg://box:${dbPassword}@db` } }
        : o,
    );
    const leaks = plainSecretLeaks(leaky, {
      "database.password": dbPassword,
      "site.oidcClientSecret": oidcSecret,
    });
    expect(leaks).toEqual([
      'the secret value "database.password" appears in plain text in ConfigMap/pr-42-box-settings at data.DSN',
    ]);
    expect(leaks.join()).not.toContain(dbPassword);
  });

  test("finds nothing when secret values stay out of the rendered objects", () => {
    expect(plainSecretLeaks(renderedObjects(), { "database.password": dbPassword })).toEqual([]);
  });

  test("does not search for values too short to tell apart from ordinary text", () => {
    expect(plainSecretLeaks(renderedObjects(), { "database.password": "42" })).toEqual([]);
  });
});
