import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startApiServer, type ApiServer } from "../support/apiserver.js";
import { TextFile } from "../support/dynamic-file.js";
import { KubeObject } from "../support/dynamic-kube-object.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";

/** Where the program's objects land, fixed per test run. */
interface Target {
  readonly fileDir: string;
  readonly server: string;
  readonly caPem: string;
}

/** A component with two children whose providers need no downloadable plugin. */
class TestSite extends pulumi.ComponentResource {
  readonly file: TextFile;
  readonly configMap: KubeObject;

  constructor(
    name: string,
    args: { target: Target; greeting: string; token: pulumi.Input<string> },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("sitestack-test:index:Site", name, {}, opts);
    this.file = new TextFile(
      `${name}-file`,
      { path: join(args.target.fileDir, `${name}.txt`), content: args.greeting },
      { parent: this },
    );
    this.configMap = new KubeObject(
      `${name}-cm`,
      {
        server: args.target.server,
        caPem: args.target.caPem,
        token: args.token,
        path: `/api/v1/namespaces/default/configmaps/${name}`,
        manifest: {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name, namespace: "default" },
          data: { greeting: args.greeting },
        },
      },
      { parent: this },
    );
    this.registerOutputs({ file: this.file, configMap: this.configMap });
  }
}

function program(target: Target) {
  return async () => {
    const config = new pulumi.Config();
    const site = new TestSite("acme", {
      target,
      greeting: config.require("greeting"),
      token: config.requireSecret("kubeToken"),
    });
    return { filePath: site.file.path, configMapUid: site.configMap.uid };
  };
}

let engine: TestEngine;
let api: ApiServer;
let stack: Stack;
let target: Target;

beforeAll(async () => {
  [engine, api] = await Promise.all([startTestEngine(), startApiServer({ crds: false })]);
  target = { fileDir: join(engine.dir, "files"), server: api.server, caPem: api.caPem };
  stack = await engine.inlineStack("sitestack-e2e", "lifecycle", program(target));
  await stack.setConfig("greeting", { value: "hello" });
  await stack.setConfig("kubeToken", { value: api.token, secret: true });
});

afterAll(async () => {
  await api?.stop();
  await engine?.dispose();
});

const filePath = () => join(target.fileDir, "acme.txt");
const configMapPath = "/api/v1/namespaces/default/configmaps/acme";

// The steps share one stack and run in order: each test is one verb of the life cycle.
// Each verb spawns the CLI and pays the passphrase key derivation; on a busy 2-core machine that
// is tens of seconds, hence the long timeout.
describe(
  "inline program through the Automation API, file:// backend, passphrase secrets",
  { timeout: 300_000 },
  () => {
    test("preview plans the stack, the component and both children, and touches nothing", async () => {
      const preview = await stack.preview();
      expect(preview.changeSummary).toEqual({ create: 4 });
      expect(existsSync(filePath())).toBe(false);
      expect(await api.client.get(configMapPath)).toBeUndefined();
    });

    test("up creates the file and the ConfigMap with the expected fields", async () => {
      const up = await stack.up();
      expect(up.summary.result).toBe("succeeded");
      expect(up.summary.resourceChanges).toEqual({ create: 4 });
      expect(await readFile(filePath(), "utf8")).toBe("hello");
      const live = await api.client.get(configMapPath);
      expect(live?.data).toEqual({ greeting: "hello" });
      expect(up.outputs.configMapUid?.value).toBe(live?.metadata?.uid);
    });

    test("keeps the secret config value encrypted in the stored state and stack config", async () => {
      // The checkpoint as the backend stores it (exportStack would decrypt secrets for us).
      const checkpoint = join(
        engine.dir,
        "state",
        ".pulumi",
        "stacks",
        "sitestack-e2e",
        "lifecycle.json",
      );
      const state = await readFile(checkpoint, "utf8");
      expect(state).not.toContain(api.token);
      const token = JSON.parse(state).checkpoint.latest.resources.find(
        (resource: { type: string }) =>
          resource.type === "pulumi-nodejs:dynamic/sitestack-test:KubeObject",
      ).outputs.token;
      expect(token).toMatchObject({ ciphertext: expect.stringMatching(/^v1:/) });
      const stackConfig = await readFile(
        join(stack.workspace.workDir, "Pulumi.lifecycle.yaml"),
        "utf8",
      );
      expect(stackConfig).not.toContain(api.token);
      expect(stackConfig).toMatch(/kubeToken:\n\s+secure: v1:/);
    });

    test("refresh reads both objects back and finds no changes", async () => {
      const refresh = await stack.refresh({ expectNoChanges: true });
      expect(refresh.summary.resourceChanges).toEqual({ same: 4 });
      const preview = await stack.preview({ expectNoChanges: true });
      expect(preview.changeSummary).toEqual({ same: 4 });
    });

    test("a changed input updates the file and the ConfigMap in place", async () => {
      const uidBefore = (await api.client.get(configMapPath))?.metadata?.uid;
      await stack.setConfig("greeting", { value: "bonjour" });
      const up = await stack.up();
      expect(up.summary.resourceChanges).toEqual({ same: 2, update: 2 });
      expect(await readFile(filePath(), "utf8")).toBe("bonjour");
      const live = await api.client.get(configMapPath);
      expect(live?.data).toEqual({ greeting: "bonjour" });
      expect(live?.metadata?.uid).toBe(uidBefore);
    });

    test("destroy removes the file and the ConfigMap", async () => {
      const destroy = await stack.destroy();
      expect(destroy.summary.resourceChanges).toEqual({ delete: 4 });
      expect(existsSync(filePath())).toBe(false);
      expect(await api.client.get(configMapPath)).toBeUndefined();
    });
  },
);
