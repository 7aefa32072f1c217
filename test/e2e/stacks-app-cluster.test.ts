import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { StackManager } from "../../stacks/manager/manager.js";
import type { StackTarget } from "../../stacks/manager/target.js";
import { clusterSiteManager } from "../support/cluster-sites.js";
import { loadSiteFiles } from "../../stacks/site-model/load.js";
import type { SiteSpec } from "../../stacks/site-model/site.js";
import { startApiServer, type ApiServer } from "../support/apiserver.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";

/**
 * The FIUBA microservices (sites/fiuba.yaml, seed 002) through the stack manager, the real engine
 * and the real Kubernetes provider against the test cluster with workloads: every Deployment must
 * become available and the central Ingress get its address before `up` returns.
 */

let fixture: TestEngine;
let api: ApiServer;
let manager: StackManager<SiteSpec>;
let target: StackTarget<SiteSpec>;
const savedKubeconfig = process.env.KUBECONFIG;
const siteFile = join(import.meta.dirname, "..", "..", "sites", "fiuba.yaml");

interface Deployments {
  items: {
    metadata: { name: string };
    spec: { replicas: number };
    status?: { availableReplicas?: number };
  }[];
}

async function deployments(): Promise<Record<string, [number, number]>> {
  const list = (await api.client.get(
    "/apis/apps/v1/namespaces/fiuba/deployments",
  )) as unknown as Deployments;
  return Object.fromEntries(
    list.items.map((item) => [
      item.metadata.name,
      [item.spec.replicas, item.status?.availableReplicas ?? 0],
    ]),
  );
}

/** Every `{ secret: NAME }` the file refers to, given a throw-away value. */
function secretEnv(): Record<string, string> {
  const names = [...readFileSync(siteFile, "utf8").matchAll(/secret: ([A-Z0-9_]+)/g)].map(
    (match) => match[1] as string,
  );
  return Object.fromEntries(names.map((name) => [`SITESTACK_SECRET_${name}`, `e2e-${name}`]));
}

beforeAll(async () => {
  [fixture, api] = await Promise.all([
    startTestEngine(),
    startApiServer({ crds: false, workloads: true }),
  ]);
  delete process.env.KUBECONFIG;
  const spec = (await loadSiteFiles([siteFile])).files[0]?.spec as SiteSpec;
  target = {
    stack: "app-fiuba",
    kind: spec.kind,
    labels: spec.metadata.labels,
    file: siteFile,
    spec,
  };
  manager = clusterSiteManager(fixture, api, join(fixture.dir, "project"), secretEnv());
}, 600_000);

afterAll(async () => {
  if (savedKubeconfig !== undefined) process.env.KUBECONFIG = savedKubeconfig;
  await api?.stop();
  await fixture?.dispose();
});

describe("the FIUBA app against the API server", { timeout: 300_000 }, () => {
  test("preview plans every service without touching the cluster", async () => {
    const outcome = await manager.preview(target);
    expect(outcome.summary.totals.create).toBeGreaterThan(10);
    expect(await deployments()).toEqual({});
  });

  test("up returns once every service is available, with the ingress address", async () => {
    const outcome = await manager.up(target);
    expect(outcome.status).toBe("Running");
    const running = await deployments();
    const services = (target.spec.spec as { services: Record<string, unknown> }).services;
    expect(Object.keys(running).length).toBe(Object.keys(services).length);
    for (const [name, [wanted, available]] of Object.entries(running)) {
      expect(available, name).toBe(wanted);
    }
    expect(outcome.outputs.ingressAddress).toBe(api.ingressAddress);
  });

  test("refresh finds no drift", async () => {
    const outcome = await manager.refresh(target);
    expect(outcome.status).toBe("Running");
    expect(outcome.summary.totals.update ?? 0).toBe(0);
  });

  test("archive scales every service to zero and keeps the namespace; restore brings them back", async () => {
    expect((await manager.archive(target)).status).toBe("Archived");
    expect(Object.values(await deployments()).every(([wanted]) => wanted === 0)).toBe(true);
    expect((await manager.restore(target)).status).toBe("Running");
    expect(Object.values(await deployments()).every(([wanted]) => wanted > 0)).toBe(true);
  });

  test("cleanup removes the stack and the app's objects", async () => {
    await manager.cleanup(target);
    expect(await manager.list()).toEqual([]);
    expect(await deployments()).toEqual({});
  });
});
