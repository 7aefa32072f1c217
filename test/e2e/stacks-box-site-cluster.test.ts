import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { StackManager } from "../../stacks/manager/manager.js";
import { clusterSiteManager } from "../support/cluster-sites.js";
import { writeAcmeWithoutCloudflare } from "../support/site-files.js";
import type { StackTarget } from "../../stacks/manager/target.js";
import { loadSiteFiles } from "../../stacks/site-model/load.js";
import type { SiteSpec } from "../../stacks/site-model/site.js";
import { startApiServer, type ApiServer } from "../support/apiserver.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";
import { neverReadyImageRepository } from "../support/workloads.js";

let fixture: TestEngine;
let api: ApiServer;
let manager: StackManager<SiteSpec>;
let target: StackTarget<SiteSpec>;
const savedKubeconfig = process.env.KUBECONFIG;

interface Listed {
  items: {
    metadata: { name: string };
    spec?: { replicas?: number };
    status?: { availableReplicas?: number };
  }[];
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
  [fixture, api] = await Promise.all([startTestEngine(), startApiServer({ workloads: true })]);
  delete process.env.KUBECONFIG;
  const projectDir = join(fixture.dir, "project");
  const file = writeAcmeWithoutCloudflare(projectDir);
  const spec = (await loadSiteFiles([file])).files[0]?.spec as SiteSpec;
  target = { stack: "site-acme", kind: spec.kind, labels: spec.metadata.labels, file, spec };
  manager = clusterSiteManager(fixture, api, projectDir, {
    SITESTACK_SECRET_ACME_OIDC_CLIENT_SECRET: "cluster-oidc-secret",
    SITESTACK_SECRET_THEMES_REDIS_URL: "redis://themes:6379/0",
  });
}, 600_000);

afterAll(async () => {
  if (savedKubeconfig !== undefined) process.env.KUBECONFIG = savedKubeconfig;
  await api?.stop();
  await fixture?.dispose();
});

describe("the example box site against the API server", { timeout: 300_000 }, () => {
  let servicesBefore: string[];

  test("preview plans the site without touching the cluster", async () => {
    const outcome = await manager.preview(target);
    expect(outcome.summary.totals.create).toBeGreaterThan(0);
    expect(await names("/api/v1/namespaces")).not.toContain("box-acme");
  });

  test("up waits until the pods are ready and reports the ingress address the admin needs", async () => {
    const outcome = await manager.up(target);
    expect(outcome.status).toBe("Running");
    expect(await replicas()).toEqual([2]);
    // The provider's await returned only once the Deployment was available …
    const deployments = (await api.client.get(
      "/apis/apps/v1/namespaces/box-acme/deployments",
    )) as unknown as Listed;
    expect(deployments.items.map((item) => item.status?.availableReplicas)).toEqual([2]);
    // … and the Ingress had an address, which flows into the outputs and the DNS records to create.
    expect(outcome.outputs.ingressAddress).toBe(api.ingressAddress);
    expect(JSON.stringify(outcome.outputs.dnsRecords)).toContain(String(api.ingressAddress));
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

describe("a box site whose pods never become ready", { timeout: 300_000 }, () => {
  let slow: StackTarget<SiteSpec>;
  let file: string;

  async function load(): Promise<StackTarget<SiteSpec>> {
    const spec = (await loadSiteFiles([file])).files[0]?.spec as SiteSpec;
    expect(spec).toBeDefined();
    return { stack: "site-slowbox", kind: spec.kind, labels: spec.metadata.labels, file, spec };
  }

  beforeAll(async () => {
    file = join(fixture.dir, "project", "sites", "slowbox.yaml");
    const acme = readFileSync(join(fixture.dir, "project", "sites", "acme.yaml"), "utf8");
    writeFileSync(
      file,
      acme
        .replace("name: acme", "name: slowbox")
        .replace("code: acme", "code: slowbox")
        .replace("domain: acme.com.pe", "domain: slowbox.com.pe")
        .replace("repository: ghcr.io/juntoz/jzbox", `repository: ${neverReadyImageRepository}`)
        .replace("replicas: 2", 'replicas: 1\n  readinessTimeout: "20s"'),
    );
    slow = await load();
  });

  test("up fails within the site's readiness timeout with the provider's reason; status Failure", async () => {
    const started = performance.now();
    const failure = await manager.up(slow).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    const seconds = (performance.now() - started) / 1000;
    expect(failure?.message).toMatch(
      /containers with unready status|Minimum number of (live|available) Pods|timed out/i,
    );
    // 20 s of waiting plus the engine's own work, never the provider's default 10 minutes.
    expect(seconds).toBeLessThan(120);
    expect((await manager.status("site-slowbox")).status).toBe("Failure");
  });

  test("after the file is fixed, the next up succeeds", async () => {
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(neverReadyImageRepository, "ghcr.io/juntoz/jzbox"),
    );
    slow = await load();
    expect((await manager.up(slow)).status).toBe("Running");
    await manager.cleanup(slow);
  });
});
