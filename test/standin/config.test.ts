import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  checkProviderInputs,
  diffProviderInputs,
  settingsFromVariables,
} from "../../stacks/engine/kubernetes-standin/config.js";
import {
  loadAmbientKubeconfig,
  parseKubeconfigSetting,
  resolveConnection,
} from "../../stacks/engine/kubernetes-standin/kubeconfig.js";
import {
  carrySecretness,
  makeSecret,
  UNKNOWN_VALUE,
} from "../../stacks/engine/kubernetes-standin/properties.js";

const kubeconfig = (server: string, namespace?: string) =>
  [
    "apiVersion: v1",
    "kind: Config",
    "current-context: test",
    "clusters:",
    `- name: c1\n  cluster:\n    server: ${server}\n    insecure-skip-tls-verify: true`,
    "contexts:",
    `- name: test\n  context:\n    cluster: c1\n    user: admin${namespace ? `\n    namespace: ${namespace}` : ""}`,
    "users:",
    "- name: admin\n  user:\n    token: t0k3n",
    "",
  ].join("\n");

describe("provider settings", () => {
  test("reads kubernetes:config:* variables, JSON-encoded booleans included", () => {
    const settings = settingsFromVariables(
      new Map([
        ["kubernetes:config:renderYamlToDirectory", "/out"],
        ["kubernetes:config:namespace", "apps"],
        ["kubernetes:config:enableConfigMapMutable", "true"],
        ["kubernetes:config:suppressHelmHookWarnings", "false"],
      ]),
      {},
    );
    expect(settings).toEqual({
      kubeconfig: undefined,
      context: undefined,
      cluster: undefined,
      namespace: "apps",
      renderYamlToDirectory: "/out",
      enableConfigMapMutable: true,
      enableSecretMutable: false,
      hasUnknowns: false,
    });
  });

  test("rejects context, cluster and an explicit kubeconfig next to a render directory", () => {
    expect(
      checkProviderInputs({ renderYamlToDirectory: "/out", context: "prod", kubeconfig: "/k" }, {}),
    ).toEqual([
      {
        property: "context",
        reason: '"context" arg is not compatible with "renderYamlToDirectory" arg',
      },
      {
        property: "kubeconfig",
        reason: '"kubeconfig" arg is not compatible with "renderYamlToDirectory" arg',
      },
    ]);
    // The SDK copies $KUBECONFIG into `kubeconfig`; that default is allowed.
    expect(
      checkProviderInputs(
        { renderYamlToDirectory: "/out", kubeconfig: "/k" },
        { KUBECONFIG: "/k" },
      ),
    ).toEqual([]);
  });

  test("replaces the provider when the render directory changes or the cluster is not known yet", () => {
    const serverOf = () => undefined;
    expect(
      diffProviderInputs(
        { renderYamlToDirectory: "/a" },
        { renderYamlToDirectory: "/b" },
        serverOf,
      ),
    ).toEqual({
      changed: ["renderYamlToDirectory"],
      replaces: ["renderYamlToDirectory"],
    });
    expect(
      diffProviderInputs({ kubeconfig: "a" }, { kubeconfig: UNKNOWN_VALUE }, serverOf).replaces,
    ).toEqual(["kubeconfig"]);
    expect(diffProviderInputs({ namespace: "a" }, { namespace: "b" }, serverOf)).toEqual({
      changed: ["namespace"],
      replaces: [],
    });
  });

  test("replaces the provider only when a kubeconfig change points at another API server", () => {
    const serverOf = (s: { kubeconfig?: string }) => (s.kubeconfig ?? "").split("#")[0];
    expect(
      diffProviderInputs({ kubeconfig: "https://a#1" }, { kubeconfig: "https://a#2" }, serverOf)
        .replaces,
    ).toEqual([]);
    expect(
      diffProviderInputs({ kubeconfig: "https://a#1" }, { kubeconfig: "https://b#1" }, serverOf)
        .replaces,
    ).toEqual(["kubeconfig"]);
  });
});

describe("kubeconfig", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "standin-kubeconfig-"));
    await writeFile(join(dir, "one"), kubeconfig("https://127.0.0.1:6443/", "apps"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("accepts the content or a path, and resolves the current context", () => {
    for (const setting of [kubeconfig("https://127.0.0.1:6443/", "apps"), join(dir, "one")]) {
      expect(resolveConnection(parseKubeconfigSetting(setting))).toMatchObject({
        contextName: "test",
        server: "https://127.0.0.1:6443",
        namespace: "apps",
        token: "t0k3n",
        insecureSkipTlsVerify: true,
      });
    }
  });

  test("falls back to KUBECONFIG, and finds nothing when neither it nor ~/.kube/config exists", () => {
    expect(loadAmbientKubeconfig({ KUBECONFIG: join(dir, "one"), HOME: dir })?.source).toBe(
      "KUBECONFIG",
    );
    expect(loadAmbientKubeconfig({ HOME: dir })).toBeUndefined();
  });

  test("names a missing context", () => {
    expect(() =>
      resolveConnection(parseKubeconfigSetting(join(dir, "one")), { context: "prod" }),
    ).toThrow(`kubeconfig from ${join(dir, "one")} has no context "prod"`);
  });
});

describe("carrySecretness", () => {
  test("makes an output secret when its input held a secret anywhere", () => {
    const outputs = carrySecretness(
      { data: { A: "1" }, metadata: { name: "x" } },
      { data: { A: makeSecret("1") }, metadata: { name: "x" } },
    );
    expect(outputs).toEqual({ data: makeSecret({ A: "1" }), metadata: { name: "x" } });
  });
});
