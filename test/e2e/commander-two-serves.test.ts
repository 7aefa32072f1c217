import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openDatabase, type Database } from "../../stacks/commander/database.js";
import type { CommanderEvent } from "../../stacks/commander/events.js";
import { followEvents } from "../../stacks/commander/remote-client.js";
import { bearer, boxSiteDocument } from "../support/commander.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";
import { freePorts } from "../support/ports.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { startProcess, type RunningProcess } from "../support/process.js";

/**
 * Two `sitestack serve` processes of the built CLI (dist/, as `npm run build` leaves it) share one
 * PostgreSQL and one file:// backend in one project folder. The program is the box site in render
 * mode (the CLI's default): a real engine run of about 3 s that writes manifests and touches no
 * cluster, so 20 jobs stay cheap.
 */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const cli = join(repoRoot, "bin", "sitestack.js");
const secretValue = "two-serves-oidc-secret-c4e2";

let fixture: TestEngine;
let postgres: TestPostgres;
let db: Database;
let projectDir: string;
let env: Record<string, string>;
let token: string;
const serves: { name: string; url: string; process: RunningProcess }[] = [];

function startServe(
  name: string,
  port: number,
): { name: string; url: string; process: RunningProcess } {
  const process = startProcess(
    name,
    globalThis.process.execPath,
    projectDir,
    [cli, "serve", "--port", String(port), "--workers", "2", "--job-heartbeat", "10"],
    env,
  );
  return { name, url: `http://127.0.0.1:${port}`, process };
}

/** The parts of the commander's answers these tests read. */
interface Answer {
  readonly job: { readonly id: string };
  readonly status: string;
  readonly spec: { readonly spec: { readonly replicas: number } };
}

async function http(
  url: string,
  method = "GET",
  body?: unknown,
): Promise<{ status: number; body: Answer }> {
  const response = await fetch(url, {
    method,
    headers: {
      ...bearer(token),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}\n${serves.map((s) => `--- ${s.name}\n${s.process.logTail()}`).join("\n")}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface JobRow {
  id: string;
  stack: string;
  state: string;
  attempts: number;
  runner: string;
  started_at: Date;
  finished_at: Date;
  created_at: Date;
  seq: string;
  error: string | null;
  result: { status?: string; recovery?: string } | null;
}

async function jobs(ids: readonly string[]): Promise<JobRow[]> {
  return (
    await db.query<JobRow>("select * from sitestack.jobs where id = any($1) order by seq", [ids])
  ).rows;
}

beforeAll(async () => {
  [fixture, postgres] = await Promise.all([startTestEngine(), startTestPostgres()]);
  projectDir = join(fixture.dir, "project");
  mkdirSync(join(projectDir, "sites"), { recursive: true });
  env = {
    ...fixture.envVars,
    PULUMI_HOME: fixture.pulumiHome,
    SITESTACK_BACKEND_URL: fixture.backendUrl,
    DATABASE_URL: postgres.url,
    SITESTACK_SECRET_BOX_OIDC_CLIENT_SECRET: secretValue,
  };
  // The token comes from the CLI, as an operator makes one; it is printed once, on stdout.
  token = execFileSync(
    process.execPath,
    [cli, "serve", "token", "create", "ci", "--scopes", "read,change,destroy"],
    {
      cwd: projectDir,
      env: { ...process.env, ...env },
      encoding: "utf8",
    },
  ).trim();
  expect(token).toMatch(/^sst_[A-Za-z0-9_-]{43}$/);
  db = await openDatabase(postgres.url, 2);
  const ports = await freePorts(2);
  serves.push(startServe("serve-a", ports[0]!), startServe("serve-b", ports[1]!));
  for (const serve of serves) {
    await waitFor(
      `${serve.name} to answer`,
      async () => ((await http(`${serve.url}/v1/jobs`)).status === 200 ? true : undefined),
      60_000,
    );
  }
}, 600_000);

afterAll(async () => {
  await Promise.all(serves.map((serve) => serve.process.stop(15_000)));
  await db?.end();
  await postgres?.stop();
  await fixture?.dispose();
});

describe("two serve processes on one database", { timeout: 300_000 }, () => {
  test("20 jobs across 10 stacks: each runs once, per-stack order kept, both processes work", async () => {
    // Every event of the commander, as a client of serve-a sees it.
    const seenOnA: CommanderEvent[] = [];
    const stream = new AbortController();
    void followEvents(
      { url: serves[0]!.url, token },
      "/v1/events?after=0",
      (event) => void seenOnA.push(event),
      stream.signal,
    );

    const submitted: string[] = [];
    for (let round = 1; round <= 2; round++) {
      for (let i = 0; i < 10; i++) {
        const serve = serves[(i + round) % 2]!;
        const answer = await http(
          `${serve.url}/v1/stacks`,
          "POST",
          boxSiteDocument(`shop${i}`, { replicas: round }),
        );
        expect(answer.status).toBe(202);
        submitted.push(answer.body.job.id);
      }
    }
    const started = performance.now();
    const finished = await waitFor(
      "the 20 jobs to end",
      async () => {
        const rows = await jobs(submitted);
        return rows.every((row) => row.state === "succeeded" || row.state === "failed")
          ? rows
          : undefined;
      },
      240_000,
    );
    console.log(
      `20 jobs on 2 serve processes (2 workers each): ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(
      finished.filter((row) => row.state !== "succeeded").map((row) => [row.stack, row.error]),
    ).toEqual([]);
    // None ran twice: one attempt each, one `running` event each.
    expect(finished.map((row) => row.attempts)).toEqual(Array(20).fill(1));
    const running = await db.query<{ job_id: string; count: string }>(
      "select job_id, count(*) from sitestack.events where type = 'job' and data->>'state' = 'running' and job_id = any($1) group by job_id",
      [submitted],
    );
    expect(running.rows.map((row) => Number(row.count))).toEqual(Array(20).fill(1));
    // Per stack: the first job ended before the second started.
    for (let i = 0; i < 10; i++) {
      const [first, second] = finished.filter((row) => row.stack === `site-shop${i}`);
      expect(first!.finished_at.getTime()).toBeLessThanOrEqual(second!.started_at.getTime());
      const status = await http(`${serves[i % 2]!.url}/v1/stacks/site-shop${i}`);
      expect(status.body.spec.spec.replicas).toBe(2);
    }
    // Both processes ran jobs, and serve-a's stream carried the ones serve-b ran.
    const runners = new Set(finished.map((row) => row.runner));
    expect(runners.size).toBe(2);
    await waitFor(
      "serve-a's stream to carry every job end",
      async () => {
        const ended = seenOnA.filter(
          (event) => event.type === "job" && event.data.state === "succeeded",
        );
        return ended.length >= 20 ? true : undefined;
      },
      10_000,
    );
    const runnersSeenOnA = new Set(
      seenOnA
        .filter((event) => event.type === "job" && event.data.state === "running")
        .map((event) => event.data.runner),
    );
    expect(runnersSeenOnA).toEqual(runners);
    stream.abort();
  });

  test("a serve process SIGKILLed mid-job: the job is retried on the other, the stack recovered, nothing lost", async () => {
    const first = await http(
      `${serves[0]!.url}/v1/stacks`,
      "POST",
      boxSiteDocument("victim", { replicas: 1 }),
    );
    const then = await http(
      `${serves[1]!.url}/v1/stacks`,
      "POST",
      boxSiteDocument("victim", { replicas: 2 }),
    );
    const [killedJob, nextJob] = [first.body.job.id as string, then.body.job.id as string];
    // Kill whichever process runs the job, once the engine is at work on it.
    const runner = await waitFor(
      "the victim job's engine run",
      async () => {
        const steps = await db.query(
          "select 1 from sitestack.events where job_id = $1 and type = 'progress' limit 1",
          [killedJob],
        );
        return steps.rowCount === 0 ? undefined : (await jobs([killedJob]))[0]!.runner;
      },
      60_000,
    );
    const victim = serves.find((serve) => runner.endsWith(`/${serve.process.pid}`))!;
    const survivor = serves.find((serve) => serve !== victim)!;
    process.kill(victim.process.pid!, "SIGKILL");
    const killedAt = Date.now();
    const [retried, after] = await waitFor(
      "the killed job and the next one to end",
      async () => {
        const rows = await jobs([killedJob, nextJob]);
        return rows.every((row) => row.state === "succeeded" || row.state === "failed")
          ? rows
          : undefined;
      },
      120_000,
    );
    console.log(
      `SIGKILL to the retried job's start: ${((retried!.started_at.getTime() - killedAt) / 1000).toFixed(1)} s (heartbeat 10 s); ` +
        `to its end: ${((retried!.finished_at.getTime() - killedAt) / 1000).toFixed(1)} s; recovery: ${retried!.result?.recovery ?? "none"}`,
    );
    expect([retried!.state, retried!.error]).toEqual(["succeeded", null]);
    expect(retried!.attempts).toBe(2);
    expect(retried!.runner).toBe((await jobs([nextJob]))[0]!.runner);
    expect(retried!.result?.status).toBe("Running");
    // The job queued behind it ran after it, on the surviving process.
    expect(after!.state).toBe("succeeded");
    expect(retried!.finished_at.getTime()).toBeLessThanOrEqual(after!.started_at.getTime());
    const status = await http(`${survivor.url}/v1/stacks/site-victim`);
    expect(status.body).toMatchObject({ status: "Running" });
    expect(status.body.spec.spec.replicas).toBe(2);
    // Nothing lost: every job the API accepted ended.
    const open = await db.query(
      "select id from sitestack.jobs where state in ('queued', 'running')",
    );
    expect(open.rows).toEqual([]);
  });
});

describe("sitestack remote against the serve processes", { timeout: 300_000 }, () => {
  let elsewhere: string;

  async function remote(...args: string[]) {
    const { runCliCaptured } = await import("../support/run-cli.js");
    return runCliCaptured(["remote", ...args], {
      SITESTACK_TOKEN: token,
      SITESTACK_URL: serves.find((serve) => serve.process.exitCode() === undefined)!.url,
    });
  }

  beforeAll(() => {
    elsewhere = join(fixture.dir, "elsewhere");
    mkdirSync(elsewhere, { recursive: true });
    writeFileSync(join(elsewhere, "remote1.yaml"), JSON.stringify(boxSiteDocument("remote1")));
    const broken = boxSiteDocument("broken1");
    (broken.spec as Record<string, unknown>).domain = "www.broken1.com.pe";
    writeFileSync(join(elsewhere, "broken1.yaml"), JSON.stringify(broken, null, 2));
  });

  test("up follows the job to its end and prints the next steps; exit 0", async () => {
    const result = await remote("up", join(elsewhere, "remote1.yaml"));
    expect(result.stderr).toContain("[site-remote1] status CreatePending");
    expect(result.stdout).toContain("site-remote1: up succeeded (Running)");
    expect(result.stdout).toContain("ingress address: not known");
    expect(result.stdout).toContain("DNS record to create: remote1.com.pe");
    expect(result.code).toBe(0);
  });

  test("list, status, outputs and history read the commander", async () => {
    const listed = await remote("list", "--selector", "team=shops", "--json");
    expect(listed.code).toBe(0);
    expect(
      JSON.parse(listed.stdout).stacks.map((report: { stack: string }) => report.stack),
    ).toContain("site-remote1");
    const status = await remote("status", "remote1", "--json");
    expect(JSON.parse(status.stdout)).toMatchObject({ stack: "site-remote1", status: "Running" });
    expect((await remote("outputs", "site-remote1")).code).toBe(0);
    expect((await remote("history", "site-remote1")).code).toBe(0);
  });

  test("the CLI's exit codes: 2 for an invalid file (nothing sent) or a missing --yes, 3 for an unknown stack", async () => {
    const invalid = await remote("up", join(elsewhere, "broken1.yaml"));
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/broken1\.yaml:\d+:\d+: spec\.domain: /);
    const unknown = await remote("archive", "site-nowhere");
    expect(unknown.code).toBe(3);
    expect((await remote("cleanup", "site-remote1")).code).toBe(2);
    const noToken = await (
      await import("../support/run-cli.js")
    ).runCliCaptured(["remote", "list", "--url", serves[0]!.url], {});
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("SITESTACK_TOKEN");
  });

  test("cleanup --yes removes the stack; no output of any process carries the token or a secret", async () => {
    const cleaned = await remote("cleanup", "site-remote1", "--yes", "--json");
    expect([cleaned.code, cleaned.stderr]).toEqual([0, ""]);
    expect((await remote("status", "site-remote1")).code).toBe(3);
    const password = decodeURIComponent(new URL(postgres.url).password);
    for (const text of [
      cleaned.stdout,
      cleaned.stderr,
      ...serves.map((serve) => serve.process.logTail()),
    ]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(secretValue);
      expect(text).not.toContain(password);
    }
  });
});
