import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startCommander, type RunningCommander } from "../../stacks/commander/commander.js";
import { appendEvent } from "../../stacks/commander/events.js";
import { purgeAudit } from "../../stacks/commander/audit.js";
import { createToken, type Scope } from "../../stacks/commander/tokens.js";
import { defaultPlatformSettings } from "../../stacks/platform/settings.js";
import { bearer, boxSiteDocument } from "../support/commander.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";

let postgres: TestPostgres;
let commander: RunningCommander;
let app: FastifyInstance;
let projectDir: string;
const tokens: Record<string, string> = {};
const secretValue = "api-test-secret-value-9f3c";

async function jobCount(): Promise<number> {
  const result = await commander.db.query<{ count: string }>("select count(*) from sitestack.jobs");
  return Number(result.rows[0]?.count);
}

beforeAll(async () => {
  postgres = await startTestPostgres();
  projectDir = mkdtempSync(join(tmpdir(), "sitestack-commander-api-"));
  mkdirSync(join(projectDir, "sites"));
  writeFileSync(join(projectDir, "sites", "owned.yaml"), JSON.stringify(boxSiteDocument("owned")));
  commander = await startCommander({
    projectDir,
    env: {
      PULUMI_CONFIG_PASSPHRASE: "api-test-passphrase",
      SITESTACK_SECRET_BOX_OIDC_CLIENT_SECRET: secretValue,
    },
    databaseUrl: postgres.url,
    api: { host: "127.0.0.1", port: 0, limits: { bodyLimit: 64 * 1024, ratePerMinute: 10_000 } },
    // No workers: these tests look at what the API accepts and queues, not at runs.
    workers: 0,
    platform: defaultPlatformSettings,
  });
  app = commander.app!;
  const grants: Record<string, Scope[]> = {
    reader: ["read"],
    previewer: ["read", "preview"],
    changer: ["read", "preview", "change"],
    destroyer: ["destroy"],
    admin: ["admin"],
  };
  for (const [name, scopes] of Object.entries(grants))
    tokens[name] = await createToken(commander.db, name, scopes);
}, 60_000);

afterAll(async () => {
  await commander?.stop(1_000);
  await postgres?.stop();
  if (projectDir !== undefined) rmSync(projectDir, { recursive: true, force: true });
});

const someJob = "00000000-0000-4000-8000-000000000000";
/** Every route with the scope it needs and a request that passes the scope check. */
const routes: { method: "GET" | "POST"; url: string; scope: Scope; body?: unknown }[] = [
  { method: "GET", url: "/v1/stacks", scope: "read" },
  { method: "GET", url: "/v1/stacks/site-acme", scope: "read" },
  { method: "GET", url: "/v1/stacks/site-acme/outputs", scope: "read" },
  { method: "GET", url: "/v1/stacks/site-acme/history", scope: "read" },
  { method: "GET", url: "/v1/stacks/site-acme/jobs", scope: "read" },
  { method: "GET", url: "/v1/jobs", scope: "read" },
  { method: "GET", url: `/v1/jobs/${someJob}`, scope: "read" },
  { method: "GET", url: "/openapi.json", scope: "read" },
  { method: "GET", url: "/metrics", scope: "read" },
  { method: "GET", url: "/v1/audit", scope: "admin" },
  { method: "POST", url: "/v1/stacks", scope: "change", body: boxSiteDocument("scoped") },
  { method: "POST", url: "/v1/previews", scope: "preview", body: boxSiteDocument("scoped") },
  { method: "POST", url: "/v1/stacks/site-acme/refresh", scope: "change" },
  { method: "POST", url: "/v1/stacks/site-acme/archive", scope: "change" },
  { method: "POST", url: "/v1/stacks/site-acme/restore", scope: "change" },
  { method: "POST", url: "/v1/stacks/site-acme/cleanup", scope: "destroy" },
];

describe("authentication and scopes on every route", () => {
  test.each(routes)("$method $url without a token is 401 with WWW-Authenticate", async (route) => {
    const response = await app.inject({
      method: route.method,
      url: route.url,
      ...(route.body ? { payload: route.body } : {}),
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers["www-authenticate"]).toBe('Bearer realm="sitestack"');
    expect(response.json()).toMatchObject({ error: "Unauthorized" });
  });

  test.each(routes)("$method $url with an unknown token is 401 invalid_token", async (route) => {
    const response = await app.inject({
      method: route.method,
      url: route.url,
      headers: bearer("sst_not-a-token-of-this-commander"),
      ...(route.body ? { payload: route.body } : {}),
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers["www-authenticate"]).toContain('error="invalid_token"');
    expect(response.body).not.toContain("sst_not-a-token");
  });

  test.each(routes)("$method $url is 403 for a token without the $scope scope", async (route) => {
    const lacking =
      route.scope === "destroy"
        ? tokens.changer!
        : route.scope === "read"
          ? tokens.destroyer!
          : tokens.reader!;
    const response = await app.inject({
      method: route.method,
      url: route.url,
      headers: bearer(lacking),
      ...(route.body ? { payload: route.body } : {}),
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().message).toContain(`"${route.scope}" scope`);
  });

  test.each(routes)(
    "$method $url passes the scope check with the $scope scope (and admin)",
    async (route) => {
      for (const token of [
        route.scope === "admin"
          ? tokens.admin!
          : route.scope === "destroy"
            ? tokens.destroyer!
            : tokens.changer!,
        tokens.admin!,
      ]) {
        const response = await app.inject({
          method: route.method,
          url: route.url,
          headers: bearer(token),
          ...(route.body ? { payload: route.body } : {}),
        });
        expect([401, 403]).not.toContain(response.statusCode);
        expect(response.statusCode).toBeLessThan(500);
      }
    },
  );
});

describe("requests", () => {
  test("a bad site document is 422 with validate's field.path: message problems; nothing is queued", async () => {
    const before = await jobCount();
    const document = boxSiteDocument("broken");
    (document.spec as Record<string, unknown>).domain = "www.broken.com.pe";
    (document.spec as Record<string, unknown>).replicas = -1;
    const response = await app.inject({
      method: "POST",
      url: "/v1/stacks",
      headers: bearer(tokens.changer!),
      payload: document,
    });
    expect(response.statusCode).toBe(422);
    const body = response.json();
    expect(body.error).toBe("ValidationFailed");
    const texts = body.problems.map((problem: { text: string }) => problem.text);
    expect(texts.some((text: string) => text.startsWith("spec.domain: "))).toBe(true);
    expect(texts.some((text: string) => text.startsWith("spec.replicas: "))).toBe(true);
    expect(body.problems[0]).toMatchObject({ line: 1 });
    expect(await jobCount()).toBe(before);
  });

  test("a body that is not JSON is 400; a bad query parameter is 400 naming query.limit", async () => {
    const broken = await app.inject({
      method: "POST",
      url: "/v1/stacks",
      headers: { ...bearer(tokens.changer!), "content-type": "application/json" },
      payload: "{not json",
    });
    expect(broken.statusCode).toBe(400);
    const limit = await app.inject({
      method: "GET",
      url: "/v1/jobs?limit=0",
      headers: bearer(tokens.reader!),
    });
    expect(limit.statusCode).toBe(400);
    expect(limit.json().problems[0].text).toMatch(/^query\.limit: /);
  });

  test("a body over the limit is 413, nothing queued", async () => {
    const before = await jobCount();
    const document = boxSiteDocument("huge", { labels: { note: "x".repeat(70 * 1024) } });
    const response = await app.inject({
      method: "POST",
      url: "/v1/stacks",
      headers: bearer(tokens.changer!),
      payload: document,
    });
    expect(response.statusCode).toBe(413);
    expect(await jobCount()).toBe(before);
  });

  test("a stack owned by a site file in sites/ cannot be overwritten: 409 says why", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/v1/stacks",
      headers: bearer(tokens.changer!),
      payload: boxSiteDocument("owned"),
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ error: "OwnedBySiteFile" });
    expect(response.json().message).toContain("sites/owned.yaml");
  });

  test("a spec that takes another site's code or domain is 422 naming the site, as validate does across files", async () => {
    const before = await jobCount();
    const document = boxSiteDocument("thief");
    (document.spec as Record<string, unknown>).code = "owned";
    (document.spec as Record<string, unknown>).domain = "owned.com.pe";
    const response = await app.inject({
      method: "POST",
      url: "/v1/stacks",
      headers: bearer(tokens.changer!),
      payload: document,
    });
    expect(response.statusCode).toBe(422);
    const texts = response.json().problems.map((problem: { text: string }) => problem.text);
    expect(texts).toContain('spec.code: "owned" is already the code of sites/owned.yaml');
    expect(
      texts.some(
        (text: string) => text.includes("owned.com.pe") && text.includes("sites/owned.yaml"),
      ),
    ).toBe(true);
    expect(await jobCount()).toBe(before);
  });

  test("an idempotent retry returns the first job; the key with another request is 422", async () => {
    const first = await app.inject({
      method: "POST",
      url: "/v1/stacks",
      headers: bearer(tokens.changer!, "retry-1"),
      payload: boxSiteDocument("retried"),
    });
    expect(first.statusCode).toBe(202);
    const job = first.json().job;
    expect(first.headers.location).toBe(`/v1/jobs/${job.id}`);
    expect(job).toMatchObject({
      stack: "site-retried",
      verb: "up",
      state: "queued",
      requestedBy: "changer",
    });
    const before = await jobCount();
    const again = await app.inject({
      method: "POST",
      url: "/v1/stacks",
      headers: bearer(tokens.changer!, "retry-1"),
      payload: boxSiteDocument("retried"),
    });
    expect(again.statusCode).toBe(200);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json().job.id).toBe(job.id);
    const other = await app.inject({
      method: "POST",
      url: "/v1/stacks",
      headers: bearer(tokens.changer!, "retry-1"),
      payload: boxSiteDocument("retried", { replicas: 2 }),
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().problems[0].text).toMatch(/^headers\.idempotency-key: was used before/);
    expect(await jobCount()).toBe(before);
  });

  test("lifecycle verbs on a stack that was never deployed or submitted are 404, nothing queued", async () => {
    const before = await jobCount();
    const response = await app.inject({
      method: "POST",
      url: "/v1/stacks/site-nowhere/archive",
      headers: bearer(tokens.changer!),
    });
    expect(response.statusCode).toBe(404);
    expect(await jobCount()).toBe(before);
  });

  test("/openapi.json describes the routes with the site document's schema", async () => {
    const response = await app.inject({
      method: "GET",
      url: "/openapi.json",
      headers: bearer(tokens.reader!),
    });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/v1/stacks",
        "/v1/previews",
        "/v1/stacks/{stack}/cleanup",
        "/v1/jobs/{id}",
        "/v1/events",
      ]),
    );
    expect(JSON.stringify(document.paths["/v1/stacks"].post.requestBody)).toContain("BoxSite");
  });

  test("/metrics reports the queue depth", async () => {
    const response = await app.inject({
      method: "GET",
      url: "/metrics",
      headers: bearer(tokens.reader!),
    });
    expect(response.body).toMatch(/sitestack_queue_depth\{state="queued"\} [1-9]/);
  });
});

describe("events, audit and limits", () => {
  test("a job's event stream replays stored events after Last-Event-ID and ends with the job", async () => {
    const accepted = await app.inject({
      method: "POST",
      url: "/v1/previews",
      headers: bearer(tokens.previewer!),
      payload: boxSiteDocument("streamed"),
    });
    const job = accepted.json().job;
    const running = await appendEvent(commander.db, {
      stack: job.stack,
      job: job.id,
      type: "job",
      data: { state: "running" },
    });
    await appendEvent(commander.db, {
      stack: job.stack,
      job: job.id,
      type: "progress",
      data: { kind: "output", line: "hello" },
    });
    await appendEvent(commander.db, {
      stack: job.stack,
      job: job.id,
      type: "job",
      data: { state: "succeeded" },
    });
    const all = await app.inject({
      method: "GET",
      url: `/v1/events?job=${job.id}`,
      headers: bearer(tokens.reader!),
    });
    expect(all.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    const states = [...all.body.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
    expect(states).toEqual(["job", "job", "progress", "job"]);
    const resumed = await app.inject({
      method: "GET",
      url: `/v1/events?job=${job.id}`,
      headers: { ...bearer(tokens.reader!), "last-event-id": String(running.id) },
    });
    expect([...resumed.body.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]))).toEqual([
      running.id + 1,
      running.id + 2,
    ]);
  });

  test("every process's hub hears events at commit, long ones (over NOTIFY's 8000 bytes) by id", async () => {
    const { EventHub } = await import("../../stacks/commander/events.js");
    const hub = new EventHub(postgres.url, commander.db);
    await hub.start();
    const heard: { id: number; data: Record<string, unknown> }[] = [];
    const unsubscribe = hub.subscribe({ stack: "site-hub" }, (event) => heard.push(event));
    try {
      const short = await appendEvent(commander.db, {
        stack: "site-hub",
        type: "progress",
        data: { line: "short" },
      });
      const long = await appendEvent(commander.db, {
        stack: "site-hub",
        type: "progress",
        data: { line: "x".repeat(9_000) },
      });
      await appendEvent(commander.db, {
        stack: "site-other",
        type: "progress",
        data: { line: "elsewhere" },
      });
      const deadline = Date.now() + 5_000;
      while (heard.length < 2 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(heard.map((event) => event.id)).toEqual([short.id, long.id]);
      expect(heard[1]!.data.line).toHaveLength(9_000);
    } finally {
      unsubscribe();
      await hub.stop();
    }
  });

  test("the audit log names the token, the address, the stack and the verb; secret values are masked", async () => {
    const document = boxSiteDocument("audited");
    (document.metadata as { labels: Record<string, string> }).labels = { note: secretValue };
    await app.inject({
      method: "POST",
      url: "/v1/stacks",
      headers: bearer(tokens.changer!),
      payload: document,
    });
    await app.inject({
      method: "POST",
      url: "/v1/stacks/site-audited/cleanup",
      headers: bearer(tokens.reader!),
    });
    const response = await app.inject({
      method: "GET",
      url: "/v1/audit?stack=site-audited",
      headers: bearer(tokens.admin!),
    });
    const entries = response.json().entries;
    expect(
      entries.map((entry: { verb: string; result: string; tokenName: string }) => [
        entry.tokenName,
        entry.verb,
        entry.result,
      ]),
    ).toEqual([
      ["reader", "cleanup", "refused (403)"],
      ["changer", "up", "accepted"],
    ]);
    expect(entries[1]).toMatchObject({ ip: "127.0.0.1", route: "/v1/stacks", statusCode: 202 });
    expect(JSON.stringify(entries)).not.toContain(secretValue);
    expect(JSON.stringify(entries)).toContain("BOX_OIDC_CLIENT_SECRET");
  });

  test("the retention purge removes audit rows older than the retention only", async () => {
    await commander.db.query(
      `insert into sitestack.audit (at, ip, method, route, status_code, result) values (now() - interval '100 days', '10.0.0.1', 'POST', '/v1/stacks', 202, 'accepted')`,
    );
    const total = async () =>
      Number(
        (await commander.db.query<{ count: string }>("select count(*) from sitestack.audit"))
          .rows[0]?.count,
      );
    const before = await total();
    expect(await purgeAudit(commander.db, 90 * 86_400_000)).toBe(1);
    expect(await total()).toBe(before - 1);
  });

  test("stopping a commander ends its open event streams instead of waiting for the clients", async () => {
    const other = await startCommander({
      projectDir,
      env: {},
      databaseUrl: postgres.url,
      api: { host: "127.0.0.1", port: 0 },
      workers: 0,
      platform: defaultPlatformSettings,
    });
    const { followEvents } = await import("../../stacks/commander/remote-client.js");
    const ended = followEvents(
      { url: other.url!, token: tokens.reader! },
      "/v1/events",
      () => undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    await other.stop(1_000);
    await ended;
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  test("a token over its rate limit gets 429 while another token still gets answers", async () => {
    const limited = await startCommander({
      projectDir,
      env: {},
      databaseUrl: postgres.url,
      api: { host: "127.0.0.1", port: 0, limits: { ratePerMinute: 3 } },
      workers: 0,
      platform: defaultPlatformSettings,
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push(
          (
            await limited.app!.inject({
              method: "GET",
              url: "/v1/jobs",
              headers: bearer(tokens.reader!),
            })
          ).statusCode,
        );
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(
        (
          await limited.app!.inject({
            method: "GET",
            url: "/v1/jobs",
            headers: bearer(tokens.admin!),
          })
        ).statusCode,
      ).toBe(200);
    } finally {
      await limited.stop(1_000);
    }
  });
});
