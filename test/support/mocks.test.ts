import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, test } from "vitest";
import { isSecret, reveal, setMocks } from "./mocks.js";

const mocks = await setMocks({
  state: { "kubernetes:core/v1:Service": () => ({ spec: { clusterIP: "10.0.0.1" } }) },
});

class Holder extends pulumi.ComponentResource {
  readonly clusterIp: pulumi.Output<string | undefined>;
  constructor(name: string) {
    super("test:mocks:Holder", name, {}, {});
    new k8s.core.v1.ConfigMap(`${name}-config`, { data: { A: "plain" } }, { parent: this });
    new k8s.core.v1.Secret(
      `${name}-secret`,
      { stringData: { B: pulumi.secret("hidden-value") } },
      { parent: this },
    );
    const svc = new k8s.core.v1.Service(
      `${name}-svc`,
      { spec: { ports: [{ port: 80 }] } },
      { parent: this },
    );
    this.clusterIp = svc.spec.clusterIP;
    this.registerOutputs({});
  }
}

describe("mocks harness", () => {
  beforeEach(() => mocks.reset());

  test("records every registration with its parent", async () => {
    new Holder("h");
    await mocks.settle();
    expect(mocks.children()).toEqual([
      "kubernetes:core/v1:ConfigMap::h-config",
      "kubernetes:core/v1:Secret::h-secret",
      "kubernetes:core/v1:Service::h-svc",
      "test:mocks:Holder::h",
    ]);
    expect(mocks.find("kubernetes:core/v1:ConfigMap", "h-config").parent).toBe(
      "test:mocks:Holder::h",
    );
    expect(mocks.find("test:mocks:Holder", "h").parent).toBeUndefined();
    expect(mocks.find("kubernetes:core/v1:Service", "h-svc").urn).toBe(
      "urn:pulumi:test::project::test:mocks:Holder$kubernetes:core/v1:Service::h-svc",
    );
  });

  test("keeps secret markers so tests can prove a value stayed secret", async () => {
    new Holder("h");
    await mocks.settle();
    const secret = mocks.find("kubernetes:core/v1:Secret", "h-secret");
    expect(isSecret(secret.inputs.stringData)).toBe(true);
    expect(reveal(secret.inputs.stringData)).toEqual({ B: "hidden-value" });
    expect(mocks.plainOccurrences("hidden-value")).toEqual([]);
    expect(mocks.plainOccurrences("plain")).toEqual([
      "kubernetes:core/v1:ConfigMap::h-config:inputs.data.A",
    ]);
  });

  test("returns the extra state of a type to the program", async () => {
    const holder = new Holder("h");
    const ip = await new Promise((resolve) => holder.clusterIp.apply(resolve));
    expect(ip).toBe("10.0.0.1");
  });

  test("throws on a provider call without a mock", async () => {
    await expect(pulumi.runtime.invoke("kubernetes:yaml:decode", { text: "" }, {})).rejects.toThrow(
      "unexpected provider call kubernetes:yaml:decode: add a mock for it in setMocks",
    );
  });
});
