/**
 * The commander's read API under load (issue 14): on loopback, with a real PostgreSQL and a real
 * engine, 200 concurrent clients send status and list requests (`GET /v1/stacks/{stack}` and
 * `GET /v1/stacks`), bounded in count and time, once with the workers idle and once while jobs
 * run (box sites in render mode: real engine runs on the same two cores). Throughput and
 * p50/p90/p99 latency are printed with "met"/"MISSED" against the target (p99 ≤ 50 ms);
 * nothing fails on a miss, only on errors.
 *
 * Load generator: bench/http-load.mjs, a process of its own (so its CPU is not counted as the
 * server's), with `node:http` keep-alive connections (one per request in flight) and `p-limit`
 * bounding the requests in flight; no load-testing package (autocannon, k6) is installed.
 *
 * Run: `npx vitest run --config bench/vitest.config.ts bench/commander-load.bench.ts`.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startRenderCommander, type RenderCommander } from "../test/support/render-commander.js";

const loadScript = join(dirname(fileURLToPath(import.meta.url)), "http-load.mjs");
/** Requests in flight at once. */
const concurrency = 200;
/** Requests per round, and the longest a round may take (whichever comes first ends it). */
const requestsPerRound = 4_000;
const roundLimitMs = 60_000;
/** Stacks deployed before the rounds: what list and status read. */
const stackCount = 8;
const targetP99Ms = 50;

let served: RenderCommander;
let token: string;
const stacks = Array.from({ length: stackCount }, (_, index) => `load${index}`);

interface Round {
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
  readonly latenciesMs: readonly number[];
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * One round: `requestsPerRound` requests, half list, half status of a stack, 200 at a time, sent
 * by bench/http-load.mjs in a process of its own (the token on its stdin).
 */
async function round(): Promise<Round> {
  const paths = stacks.flatMap((name) => ["/v1/stacks", `/v1/stacks/site-${name}`]);
  const child = spawn(process.execPath, [loadScript], { stdio: ["pipe", "pipe", "inherit"] });
  child.stdin.end(
    JSON.stringify({
      url: served.url,
      token,
      paths,
      requests: requestsPerRound,
      concurrency,
      limitMs: roundLimitMs,
    }),
  );
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const [code] = (await once(child, "close")) as [number | null];
  if (code !== 0) throw new Error(`bench/http-load.mjs exited with ${code}`);
  const result = JSON.parse(output) as Omit<Round, "latenciesMs"> & { latencies: number[] };
  return { ...result, latenciesMs: result.latencies.sort((a, b) => a - b) };
}

function describeRound(name: string, result: Round): string {
  const ms = (p: number) => `${percentile(result.latenciesMs, p).toFixed(1)} ms`;
  const p99 = percentile(result.latenciesMs, 99);
  return [
    `${name}: ${result.requests} requests (${result.errors} errors) in ${result.seconds.toFixed(2)} s = ${(result.requests / result.seconds).toFixed(0)} req/s`,
    `  latency p50 ${ms(50)}, p90 ${ms(90)}, p99 ${ms(99)}, max ${ms(100)}`,
    `  target p99 <= ${targetP99Ms} ms: ${p99 <= targetP99Ms ? "met" : "MISSED"}`,
  ].join("\n");
}

async function jobStates(): Promise<Record<string, number>> {
  const result = await served.commander.db.query<{ state: string; count: string }>(
    "select state, count(*) from sitestack.jobs group by state",
  );
  return Object.fromEntries(result.rows.map((row) => [row.state, Number(row.count)]));
}

beforeAll(async () => {
  served = await startRenderCommander({ workers: 2 });
  token = await served.token("load", ["read", "change"]);
  const jobs = await Promise.all(stacks.map((name) => served.submitUp(token, name)));
  for (const job of jobs)
    expect((await served.waitForJob(token, job, 300_000)).state).toBe("succeeded");
}, 600_000);

afterAll(async () => {
  await served?.stop();
});

describe("commander read API under load", () => {
  test("200 concurrent status/list requests, idle and while jobs run", async () => {
    const lines = [
      `commander load bench: ${cpus().length} cores, load ${loadavg()
        .map((v) => v.toFixed(1))
        .join(
          " ",
        )}, ${stackCount} stacks, ${concurrency} concurrent, ${requestsPerRound} requests per round (at most ${roundLimitMs / 1000} s)`,
    ];
    await round(); // warm-up: connections, JIT, token cache
    const idle = await round();
    lines.push(describeRound("workers idle", idle));

    // Jobs that keep both workers busy through the next round: refreshes of every stack.
    const busyJobs: string[] = [];
    for (const name of stacks) {
      const accepted = await served.call(token, "POST", `/v1/stacks/site-${name}/refresh`);
      expect(accepted.status).toBe(202);
      busyJobs.push(accepted.body.job.id as string);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const before = await jobStates();
    const busy = await round();
    const after = await jobStates();
    lines.push(
      describeRound("while jobs run", busy),
      `  jobs when the round started: ${JSON.stringify(before)}; when it ended: ${JSON.stringify(after)}`,
    );
    for (const job of busyJobs) await served.waitForJob(token, job, 300_000);
    console.log(lines.join("\n"));
    expect(idle.errors + busy.errors).toBe(0);
    expect(before.running ?? 0).toBeGreaterThan(0);
  });
});
