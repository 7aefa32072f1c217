import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir } from "node:fs/promises";
import { hostname, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openStatusView } from "../../stacks/manager/open-status.js";
import { resolveStateSettings } from "../../stacks/manager/settings.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";
import { compileForChildProcess } from "../stacks/support/build.js";
import type { FileSiteSpec } from "../stacks/support/file-site.js";

const secretValue = "race-secret-0b1e";

let fixture: TestEngine;
let runner: string;

/** One `run-op` child process and everything it printed. */
interface Child {
  readonly process: ChildProcess;
  readonly lines: Record<string, unknown>[];
  readonly exit: Promise<number | null>;
}

function startOp(verb: string, projectDir: string, spec: FileSiteSpec, ...flags: string[]): Child {
  const child = spawn(
    process.execPath,
    [runner, verb, projectDir, JSON.stringify(spec), ...flags],
    {
      cwd: process.cwd(),
      detached: true, // its own process group, so kill -9 takes the engine and providers with it
      env: {
        ...process.env,
        ...fixture.engine.env,
        PULUMI_CONFIG_PASSPHRASE: fixture.passphrase,
        SITESTACK_SECRET_RACE_TOKEN: secretValue,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const lines: Record<string, unknown>[] = [];
  let buffer = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    for (const part of parts)
      if (part.trim() !== "") lines.push(JSON.parse(part) as Record<string, unknown>);
  });
  child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { process: child, lines, exit };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function spec(dir: string, slow: { count: number; ms: number }): FileSiteSpec {
  return { dir, version: "1", token: { secret: "RACE_TOKEN" }, slow };
}

async function lockFiles(projectDir: string): Promise<string[]> {
  const dir = join(projectDir, ".sitestack/state/.pulumi/locks/organization/sitestack/site-race");
  // The engine's blob library writes a `.attrs` file beside each lock.
  return existsSync(dir) ? (await readdir(dir)).filter((name) => name.endsWith(".json")) : [];
}

function stateFile(projectDir: string): { pending_operations?: unknown[]; resources?: unknown[] } {
  const text = readFileSync(
    join(projectDir, ".sitestack/state/.pulumi/stacks/sitestack/site-race.json"),
    "utf8",
  );
  expect(text).not.toContain(secretValue);
  return (JSON.parse(text) as { checkpoint: { latest: { pending_operations?: unknown[] } } })
    .checkpoint.latest;
}

beforeAll(async () => {
  fixture = await startTestEngine();
  runner = await compileForChildProcess("test/stacks/support/run-op.ts");
}, 600_000);

afterAll(async () => {
  await fixture?.dispose();
});

describe("two processes, one stack", () => {
  test("the second up without --wait fails with StackLocked naming the holder; state stays intact", async () => {
    const projectDir = join(fixture.dir, "locked");
    await mkdir(projectDir, { recursive: true });
    const first = startOp(
      "up",
      projectDir,
      spec(join(projectDir, "site"), { count: 1, ms: 6_000 }),
    );
    await until(async () => (await lockFiles(projectDir)).length > 0);
    const second = startOp(
      "up",
      projectDir,
      spec(join(projectDir, "site"), { count: 1, ms: 6_000 }),
    );
    expect(await second.exit).toBe(4);
    const error = second.lines.find((line) => line.type === "error");
    expect(error?.name).toBe("StackLocked");
    expect(String(error?.message)).toMatch(
      new RegExp(
        `^stack site-race is locked by ${userInfo().username}@${hostname()} \\(pid \\d+\\) since \\d{4}-`,
      ),
    );
    expect(await first.exit).toBe(0);
    expect(stateFile(projectDir).pending_operations ?? []).toEqual([]);
    const view = (await openStatusView(resolveStateSettings(projectDir), projectDir, {}))!;
    expect((await view.status("site-race")).status).toBe("Running");
  }, 300_000);

  test("with --wait the second up waits for the first and then runs, one after the other", async () => {
    const projectDir = join(fixture.dir, "waiting");
    await mkdir(projectDir, { recursive: true });
    const first = startOp(
      "up",
      projectDir,
      spec(join(projectDir, "site"), { count: 1, ms: 6_000 }),
    );
    await until(async () => (await lockFiles(projectDir)).length > 0);
    const second = startOp(
      "up",
      projectDir,
      spec(join(projectDir, "site"), { count: 1, ms: 6_000 }),
      "--wait",
    );
    expect(await first.exit).toBe(0);
    expect(await second.exit).toBe(0);
    const firstEnd = first.lines.find((line) => line.type === "outcome");
    const secondOutcome = second.lines.find((line) => line.type === "outcome") as {
      outcome: { summary: { totals: Record<string, number> } };
    };
    expect(firstEnd).toBeDefined();
    expect(second.lines.some((line) => line.type === "waiting")).toBe(true);
    // The second saw the first's result: nothing left to create.
    expect(secondOutcome.outcome.summary.totals).toEqual({ same: 5 });
    expect(stateFile(projectDir).pending_operations ?? []).toEqual([]);
  }, 300_000);
});

describe("kill -9 in the middle of up", () => {
  test("status shows Failure, and the next up removes the dead lock, recovers and says what it did", async () => {
    const projectDir = join(fixture.dir, "killed");
    await mkdir(projectDir, { recursive: true });
    const site = join(projectDir, "site");
    const victim = startOp("up", projectDir, spec(site, { count: 2, ms: 30_000 }));
    await until(() =>
      victim.lines.some(
        (line) =>
          line.type === "resource" &&
          String(line.resourceType).endsWith(":Sleep") &&
          line.op === "create",
      ),
    );
    await until(() => (stateFile(projectDir).pending_operations ?? []).length > 0);
    process.kill(-(victim.process.pid as number), "SIGKILL");
    await victim.exit;
    expect(await lockFiles(projectDir)).toHaveLength(1);
    const view = (await openStatusView(resolveStateSettings(projectDir), projectDir, {}))!;
    const status = await view.status("site-race");
    expect(status.status).toBe("Failure");
    expect(status.note).toMatch(
      /^interrupted: the engine lock of .* remains, and that holder is gone; the next operation removes it and recovers$/,
    );

    const retry = startOp("up", projectDir, spec(site, { count: 2, ms: 10 }));
    expect(await retry.exit, JSON.stringify(retry.lines.filter((l) => l.type === "error"))).toBe(0);
    const outcome = retry.lines.find((line) => line.type === "outcome") as {
      outcome: { recovery: string; status: string };
    };
    expect(outcome.outcome.status).toBe("Running");
    expect(outcome.outcome.recovery).toMatch(
      /^removed the engine lock left by .* \(pid \d+\) since .*, which is gone; recovered \d+ pending operation\(s\) left by an interrupted run: dropped \d+ interrupted create\(s\) from the state \(pulumi-nodejs:dynamic\/sitestack-test:(Sleep|TextFile)::site-race-.+\); they are created again/,
    );
    expect(stateFile(projectDir).pending_operations ?? []).toEqual([]);
    expect(await lockFiles(projectDir)).toEqual([]);
    const lockDir = join(
      projectDir,
      ".sitestack/state/.pulumi/locks/organization/sitestack/site-race",
    );
    expect(existsSync(lockDir) ? await readdir(lockDir) : []).toEqual([]);
    expect((await view.status("site-race")).status).toBe("Running");
    expect(readFileSync(join(site, "web.txt"), "utf8")).toBe("web 1");
  }, 300_000);
});
