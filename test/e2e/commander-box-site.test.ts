import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startCommander, type RunningCommander } from "../../stacks/commander/commander.js";
import type { CommanderEvent } from "../../stacks/commander/events.js";
import { followEvents } from "../../stacks/commander/remote-client.js";
import { createToken } from "../../stacks/commander/tokens.js";
import { clusterPlatform } from "../support/cluster-sites.js";
import { startApiServer, type ApiServer } from "../support/apiserver.js";
import { bearer, boxSiteDocument } from "../support/commander.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";

const secretValue = "commander-oidc-secret-51d7";
let fixture: TestEngine;
let api: ApiServer;
let postgres: TestPostgres;
let commander: RunningCommander;
let token: string;
const savedKubeconfig = process.env.KUBECONFIG;
/** Every event of the stack, from a live stream opened before the first job. */
const streamed: CommanderEvent[] = [];
const stream = new AbortController();

async function call(method: "GET" | "POST", url: string, payload?: Record<string, unknown>) {
  const response = await commander.app!.inject({
    method,
    url,
    headers: bearer(token),
    ...(payload === undefined ? {} : { payload }),
  });
  const json = response.headers["content-type"]?.toString().startsWith("application/json");
  return {
    status: response.statusCode,
    body: json ? response.json() : undefined,
    text: response.body,
  };
}

/** Submits a job and waits until it ended. */
async function runJob(method: "POST", url: string, payload?: Record<string, unknown>) {
  const accepted = await call(method, url, payload);
  expect(accepted.status).toBe(202);
  const id = accepted.body.job.id as string;
  for (;;) {
    const { body } = await call("GET", `/v1/jobs/${id}`);
    if (body.job.state === "succeeded" || body.job.state === "failed") return body;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  [fixture, api, postgres] = await Promise.all([
    startTestEngine(),
    startApiServer({ workloads: true }),
    startTestPostgres(),
  ]);
  delete process.env.KUBECONFIG;
  const projectDir = join(fixture.dir, "project");
  mkdirSync(join(projectDir, "sites"), { recursive: true });
  commander = await startCommander({
    projectDir,
    env: {
      PULUMI_CONFIG_PASSPHRASE: fixture.passphrase,
      SITESTACK_BACKEND_URL: fixture.backendUrl,
      SITESTACK_SECRET_BOX_OIDC_CLIENT_SECRET: secretValue,
    },
    databaseUrl: postgres.url,
    api: { host: "127.0.0.1", port: 0 },
    workers: 1,
    engine: fixture.engine,
    platform: clusterPlatform(api),
  });
  token = await createToken(commander.db, "operator", ["read", "preview", "change", "destroy"]);
  // after=0: the stack's stored events first, so nothing is missed however late this connects.
  void followEvents(
    { url: commander.url!, token },
    "/v1/events?stack=site-shop&after=0",
    (event) => void streamed.push(event),
    stream.signal,
  );
}, 600_000);

afterAll(async () => {
  stream.abort();
  if (savedKubeconfig !== undefined) process.env.KUBECONFIG = savedKubeconfig;
  await commander?.stop(5_000);
  await Promise.all([api?.stop(), postgres?.stop()]);
  await fixture?.dispose();
});

describe(
  "a box site through the commander's API, on the test cluster",
  { timeout: 300_000 },
  () => {
    test("up through the API reaches Running with the ingress address and the DNS records to create", async () => {
      const { job, log } = await runJob(
        "POST",
        "/v1/stacks",
        boxSiteDocument("shop", { replicas: 1 }),
      );
      expect(job.error).toBeUndefined();
      expect(job).toMatchObject({ state: "succeeded", attempts: 1, stack: "site-shop" });
      expect(job.result.status).toBe("Running");
      expect(job.result.nextSteps.ingressAddress).toBe(api.ingressAddress);
      expect(job.result.nextSteps.dnsRecords).toEqual([
        expect.objectContaining({ name: "shop.com.pe", content: api.ingressAddress }),
      ]);
      expect(log.some((event: CommanderEvent) => event.type === "progress")).toBe(true);
      const status = await call("GET", "/v1/stacks/site-shop");
      expect(status.body).toMatchObject({
        stack: "site-shop",
        status: "Running",
        lifecycle: "active",
      });
      const outputs = await call("GET", "/v1/stacks/site-shop/outputs");
      expect(outputs.body.outputs.ingressAddress).toBe(api.ingressAddress);
      const listed = await call("GET", "/v1/stacks?selector=team%3Dshops");
      expect(listed.body.stacks.map((report: { stack: string }) => report.stack)).toEqual([
        "site-shop",
      ]);
      expect((await call("GET", "/v1/stacks?selector=team%3Dother")).body.stacks).toEqual([]);
      const history = await call("GET", "/v1/stacks/site-shop/history");
      expect(history.body.history[0]).toMatchObject({ kind: "update", result: "succeeded" });
    });

    test("archive, restore and cleanup through the API", async () => {
      expect((await runJob("POST", "/v1/stacks/site-shop/archive")).job.result.status).toBe(
        "Archived",
      );
      expect((await call("GET", "/v1/stacks/site-shop")).body.lifecycle).toBe("archived");
      expect((await runJob("POST", "/v1/stacks/site-shop/restore")).job.result.status).toBe(
        "Running",
      );
      const cleaned = await runJob("POST", "/v1/stacks/site-shop/cleanup");
      expect(cleaned.job.state).toBe("succeeded");
      await api.client.waitGone("/api/v1/namespaces/box-shop", 120_000);
      expect((await call("GET", "/v1/stacks/site-shop")).status).toBe(404);
    });

    test("the event stream delivered every status change in order", async () => {
      const deadline = Date.now() + 10_000;
      while (
        !streamed.some((event) => event.type === "status" && event.data.status === "Removed") &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const statuses = streamed
        .filter((event) => event.type === "status")
        .map((event) => event.data.status);
      expect(statuses).toEqual([
        "CreatePending",
        "Running",
        "DeletePending",
        "Archived",
        "UpdatePending",
        "Running",
        "DeletePending",
        "Removed",
      ]);
      const jobStates = streamed
        .filter((event) => event.type === "job")
        .map((event) => event.data.state);
      expect(jobStates).toEqual(
        Array.from({ length: 4 }, () => ["queued", "running", "succeeded"]).flat(),
      );
      const ids = streamed.map((event) => event.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    });

    test("a job whose operation fails is failed with the typed error, audited and counted", async () => {
      const { job } = await runJob(
        "POST",
        "/v1/stacks",
        boxSiteDocument("unset", { secret: "UNSET_OIDC_SECRET" }),
      );
      expect(job).toMatchObject({
        state: "failed",
        attempts: 1,
        result: { errorName: "ValidationFailed" },
      });
      expect(job.error).toContain("UNSET_OIDC_SECRET");
      const audit = await call("GET", "/v1/audit?stack=site-unset");
      expect(audit.status).toBe(403); // the operator token has no admin scope
      const rows = await commander.db.query<{ result: string; job_duration_ms: number }>(
        "select result, job_duration_ms from sitestack.audit where stack = 'site-unset'",
      );
      expect(rows.rows).toHaveLength(1);
      expect(rows.rows[0]!.result).toMatch(/^failed: .*UNSET_OIDC_SECRET/);
      const metrics = await call("GET", "/metrics");
      expect(metrics.text).toContain('sitestack_jobs_finished_total{verb="up",result="failed"} 1');
      expect(metrics.text).toContain(
        'sitestack_jobs_finished_total{verb="up",result="succeeded"} 1',
      );
      expect(metrics.text).toContain(
        'sitestack_job_duration_seconds_count{verb="cleanup",result="succeeded"} 1',
      );
    });

    test("no answer, event or audit row carries the secret value", async () => {
      const audit = await commander.db.query("select * from sitestack.audit");
      const events = await commander.db.query("select * from sitestack.events");
      const jobs = await commander.db.query("select * from sitestack.jobs");
      for (const text of [
        JSON.stringify(streamed),
        JSON.stringify(audit.rows),
        JSON.stringify(events.rows),
        JSON.stringify(jobs.rows),
      ]) {
        expect(text).not.toContain(secretValue);
      }
      expect(JSON.stringify(audit.rows)).toContain("BOX_OIDC_CLIENT_SECRET");
    });
  },
);
