import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { installStandinKubernetesProvider } from "../../stacks/engine/kubernetes-standin/install.js";
import type { StackManager } from "../../stacks/manager/manager.js";
import { defaultPlatformSettings } from "../../stacks/platform/settings.js";
import { siteStackManager } from "../../stacks/site-stacks.js";
import { writeAcmeWithoutCloudflare } from "../support/site-files.js";
import type { StackTarget } from "../../stacks/manager/target.js";
import { loadSiteFiles } from "../../stacks/site-model/load.js";
import type { SiteSpec } from "../../stacks/site-model/site.js";
import { startApiServer, type ApiServer } from "../support/apiserver.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";

let fixture: TestEngine;
let api: ApiServer;
let manager: StackManager<SiteSpec>;
let target: StackTarget<SiteSpec>;
const savedKubeconfig = process.env.KUBECONFIG;

interface Listed {
  items: { metadata: { name: string }; spec?: { replicas?: number } }[];
}

async function names(path: string): Promise<string[]> {
  const list = (await api.client.get(path)) as unknown as Listed | undefined;
  return (list?.items ?? []).map((item) => item.metadata.name).sort();
}

async function replicas(): Promise<number[]> {
  const list = (await api.client.get(
    "/apis/apps/v1/namespaces/box-acme/deployments",
  )) as unknown as Listed;
  return list.items.map((item) => item.spec?.replicas ?? -1);
}

beforeAll(async () => {
  [fixture, api] = await Promise.all([startTestEngine(), startApiServer()]);
  await installStandinKubernetesProvider({ pulumiHome: join(fixture.dir, "home"), warn: () => {} });
  delete process.env.KUBECONFIG;
  const projectDir = join(fixture.dir, "project");
  const file = writeAcmeWithoutCloudflare(projectDir);
  const spec = (await loadSiteFiles([file])).files[0]?.spec as SiteSpec;
  target = { stack: "site-acme", kind: spec.kind, labels: spec.metadata.labels, file, spec };
  manager = siteStackManager({
    projectDir,
    engine: fixture.engine,
    platform: {
      ...defaultPlatformSettings,
      kubernetes: { mode: "cluster", kubeconfig: api.kubeconfigPath },
    },
    env: {
      PULUMI_CONFIG_PASSPHRASE: fixture.passphrase,
      SITESTACK_SECRET_ACME_OIDC_CLIENT_SECRET: "cluster-oidc-secret",
      SITESTACK_SECRET_THEMES_REDIS_URL: "redis://themes:6379/0",
    },
  });
}, 600_000);

afterAll(async () => {
  if (savedKubeconfig !== undefined) process.env.KUBECONFIG = savedKubeconfig;
  await api?.stop();
  await fixture?.dispose();
});

describe("the example box site against the API server", { timeout: 300_000 }, () => {
  let servicesBefore: string[];

  test("up creates the namespace, the workload and its service", async () => {
    expect((await manager.up(target)).status).toBe("Running");
    expect(await replicas()).toEqual([2]);
    servicesBefore = await names("/api/v1/namespaces/box-acme/services");
    expect(servicesBefore.length).toBeGreaterThan(0);
  });

  test("refresh finds no drift and keeps Running", async () => {
    const outcome = await manager.refresh(target);
    expect(outcome.status).toBe("Running");
  });

  test("archive scales to zero and keeps namespace, services and secrets", async () => {
    expect((await manager.archive(target)).status).toBe("Archived");
    expect(await replicas()).toEqual([0]);
    expect(await names("/api/v1/namespaces/box-acme/services")).toEqual(servicesBefore);
    expect(await api.client.get("/api/v1/namespaces/box-acme")).toBeDefined();
  });

  test("restore scales back to the last applied replicas", async () => {
    expect((await manager.restore(target)).status).toBe("Running");
    expect(await replicas()).toEqual([2]);
    expect(await names("/api/v1/namespaces/box-acme/services")).toEqual(servicesBefore);
  });

  test("cleanup deletes the namespace too and removes the stack", async () => {
    await manager.cleanup(target);
    await api.client.waitGone("/api/v1/namespaces/box-acme", 120_000);
    expect(await manager.list()).toEqual([]);
  });
});
