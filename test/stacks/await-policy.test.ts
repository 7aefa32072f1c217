import * as pulumi from "@pulumi/pulumi";
import { describe, expect, test } from "vitest";
import { clusterAwaitPolicy, skipAwaitAnnotation } from "../../stacks/program/await-policy.js";

const transform = clusterAwaitPolicy(90);

function apply(type: string, props: Record<string, unknown>, custom = true) {
  return transform({ type, name: "x", custom, props, opts: {} }) as
    { props: Record<string, unknown>; opts: pulumi.CustomResourceOptions } | undefined;
}

function annotationsOf(result: ReturnType<typeof apply>): Record<string, unknown> | undefined {
  return (result?.props.metadata as { annotations?: Record<string, unknown> }).annotations;
}

describe("how up waits for Kubernetes objects on a cluster", () => {
  test("every Kubernetes object gets the site's readiness timeout", () => {
    const result = apply("kubernetes:apps/v1:Deployment", { metadata: { name: "web" } });
    expect(result?.opts.customTimeouts).toEqual({ create: "90s", update: "90s" });
    expect(annotationsOf(result)).toBeUndefined();
    expect(apply("sitestack:staging:Staging", {}, false)).toBeUndefined();
    expect(apply("cloudflare:index/record:Record", {})).toBeUndefined();
  });

  test("a Service that selects Pods is not awaited (its Pods' workload is), other annotations kept", () => {
    const result = apply("kubernetes:core/v1:Service", {
      metadata: { name: "web", annotations: { team: "shops" } },
      spec: { selector: { app: "web" }, ports: [{ port: 80 }] },
    });
    expect(result?.opts.customTimeouts).toEqual({ create: "90s", update: "90s" });
    expect(result?.props.metadata).toEqual({
      name: "web",
      annotations: { team: "shops", [skipAwaitAnnotation]: "true" },
    });
  });

  test("LoadBalancer, ExternalName and selector-less Services keep the provider's await", () => {
    for (const spec of [
      { selector: { app: "web" }, type: "LoadBalancer" },
      { type: "ExternalName", externalName: "example.com" },
      { ports: [{ port: 80 }] },
    ]) {
      const result = apply("kubernetes:core/v1:Service", { metadata: { name: "s" }, spec });
      expect(annotationsOf(result), JSON.stringify(spec)).toBeUndefined();
    }
  });

  test("inputs that are Outputs stay Outputs, with the annotation inside", async () => {
    const result = apply("kubernetes:core/v1:Service", {
      metadata: pulumi.output({ name: "web", annotations: { a: "1" } }),
      spec: { selector: { app: "web" } },
    });
    const metadata = result?.props.metadata as pulumi.Output<Record<string, unknown>>;
    expect(pulumi.Output.isInstance(metadata)).toBe(true);
    const value = await new Promise((resolve) => metadata.apply(resolve));
    expect(value).toEqual({ name: "web", annotations: { a: "1", [skipAwaitAnnotation]: "true" } });
  });
});
