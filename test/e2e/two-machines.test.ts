import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { resolveTargets } from "../../stacks/cli/lifecycle/targets.js";
import { StackLocked } from "../../stacks/errors.js";
import { StackManager } from "../../stacks/manager/manager.js";
import { openStoreFacts } from "../../stacks/manager/open-status.js";
import { StatusView, type StackStatusReport } from "../../stacks/manager/status-view.js";
import { stackTtlStatus } from "../../stacks/staging/ttl.js";
import type { StackTarget } from "../../stacks/manager/target.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";
import { startS3Server, type S3Server } from "../support/s3.js";
import { compileForChildProcess } from "../stacks/support/build.js";
import { fileSiteProgram, type FileSiteSpec } from "../stacks/support/file-site.js";

// Issue 11's proof: two checkouts ("machine A" and "machine B": separate git clones, separate
// .sitestack/ and PULUMI_HOME) that share nothing but the state backend — a real S3-compatible
// store (SeaweedFS on loopback) — and the committed stack config that git carries between them.

const passphrase = "shared-team-passphrase-2e91";
const token = "shared-token-value-a77c";

let s3: S3Server;
let engineA: TestEngine;
let engineB: TestEngine;
let origin: string;
let cloneA: string;
let cloneB: string;
let machineA: StackManager<FileSiteSpec & { spec?: { ttl: string } }>;
let machineB: StackManager<FileSiteSpec & { spec?: { ttl: string } }>;
let sites: string;

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=ci", "-c", "user.email=ci@example.net", ...args], {
    cwd,
    encoding: "utf8",
  });

function manager(clone: string, engine: TestEngine) {
  return new StackManager<FileSiteSpec & { spec?: { ttl: string } }>({
    projectDir: clone,
    engine: engine.engine,
    program: fileSiteProgram,
    env: { ...s3.env, PULUMI_BACKEND_URL: s3.backendUrl, PULUMI_CONFIG_PASSPHRASE: passphrase },
  });
}

const site = (version: string): StackTarget<FileSiteSpec> => ({
  stack: "site-shared",
  kind: "FileSite",
  labels: { team: "shops" },
  file: "sites/shared.yaml",
  spec: { dir: join(sites, "shared"), version, token: { secret: "SHARED_TOKEN" } },
});

/** A target by name, the way the CLI makes one from what the backend lists. */
function byName(report: StackStatusReport): StackTarget<FileSiteSpec> {
  return {
    stack: report.stack,
    kind: report.kind,
    labels: report.labels,
    spec: report.spec as FileSiteSpec,
  };
}

beforeAll(async () => {
  s3 = await startS3Server();
  const backend = { url: s3.backendUrl, env: s3.env };
  engineA = await startTestEngine({ backend });
  engineB = await startTestEngine({ backend });
  sites = join(engineA.dir, "sites-on-disk");
  // One repository, two clones: what the machines share besides the backend is what git carries.
  origin = join(engineA.dir, "origin.git");
  const seed = join(engineA.dir, "seed");
  await mkdir(join(seed, "config"), { recursive: true });
  await writeFile(
    join(seed, "Pulumi.yaml"),
    "name: sitestack\nruntime: nodejs\nstackConfigDir: config\n",
  );
  await writeFile(join(seed, "config", ".keep"), "");
  git(engineA.dir, "init", "-q", "--bare", origin);
  git(seed, "init", "-q", "-b", "main");
  git(seed, "add", ".");
  git(seed, "commit", "-qm", "project");
  git(seed, "push", "-q", origin, "main");
  cloneA = join(engineA.dir, "clone");
  cloneB = join(engineB.dir, "clone");
  git(engineA.dir, "clone", "-q", origin, cloneA);
  git(engineB.dir, "clone", "-q", origin, cloneB);
  machineA = manager(cloneA, engineA);
  machineB = manager(cloneB, engineB);
}, 900_000);

afterAll(async () => {
  await engineA?.dispose();
  await engineB?.dispose();
  await s3?.stop();
});

describe("two machines, one S3 backend", () => {
  test("A stores a secret and ups a site; B, after git pull, sees it Running with the same outputs", async () => {
    await machineA.setSecret("site-shared", "SHARED_TOKEN", token);
    git(cloneA, "add", "config");
    git(cloneA, "commit", "-qm", "site-shared: secret");
    git(cloneA, "push", "-q");
    const up = await machineA.up(site("1"));
    expect(up.status).toBe("Running");
    git(cloneB, "pull", "-q");
    const seen = await machineB.status("site-shared");
    expect(seen).toMatchObject({ status: "Running", kind: "FileSite", labels: { team: "shops" } });
    expect(seen.outputs).toEqual(up.outputs);
    expect((await machineB.list()).map((report) => report.stack)).toEqual(["site-shared"]);
  }, 300_000);

  test("B archives; A sees Archived, and A's up keeps it archived", async () => {
    const archived = await machineB.archive(byName(await machineB.status("site-shared")));
    expect(archived.status).toBe("Archived");
    expect((await machineA.status("site-shared")).status).toBe("Archived");
    const up = await machineA.up(site("2"));
    expect(up.status).toBe("Archived");
    expect(existsSync(join(sites, "shared", "web.txt"))).toBe(false);
  }, 300_000);

  test("B restores with the last settings A applied", async () => {
    const restored = await machineB.restore(byName(await machineB.status("site-shared")));
    expect(restored.status).toBe("Running");
    expect(readFileSync(join(sites, "shared", "web.txt"), "utf8")).toBe("web 2");
    expect(readFileSync(join(sites, "shared", "config.txt"), "utf8")).toBe(token);
  }, 300_000);

  test("A and B race up on one stack: one runs, the other gets StackLocked naming the holder", async () => {
    const slow = { ...site("3"), spec: { ...site("3").spec, slow: { count: 1, ms: 4_000 } } };
    const results = await Promise.allSettled([machineA.up(slow), machineB.up(slow)]);
    const fulfilled = results.filter((result) => result.status === "fulfilled");
    const rejected = results.filter((result) => result.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    const reason = (rejected[0] as PromiseRejectedResult).reason as Error;
    expect(reason).toBeInstanceOf(StackLocked);
    expect(reason.message).toMatch(/^stack site-shared is locked by \S+@\S+ \(pid \d+\) since /);
    const after = await machineB.status("site-shared");
    expect(after.status).toBe("Running");
  }, 300_000);

  test("A is killed mid-up; B's next operation recovers the pending operations and says so", async () => {
    const runner = await compileForChildProcess("test/stacks/support/run-op.ts");
    const slow = { ...site("4").spec, slow: { count: 2, ms: 30_000 } };
    const victim = spawn(process.execPath, [runner, "up", cloneA, JSON.stringify(slow)], {
      detached: true,
      env: {
        ...process.env,
        ...engineA.engine.env,
        ...s3.env,
        PULUMI_BACKEND_URL: s3.backendUrl,
        PULUMI_CONFIG_PASSPHRASE: passphrase,
        STACK_NAME: "site-shared",
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let printed = "";
    victim.stdout.on("data", (chunk: Buffer) => (printed += chunk.toString()));
    const facts = (await openStoreFacts(machineB.settings, cloneB, {
      ...s3.env,
      PULUMI_BACKEND_URL: s3.backendUrl,
    }))!;
    const deadline = Date.now() + 180_000;
    while ((await facts.one("site-shared")).checkpoint?.pendingOperations.length === 0) {
      if (Date.now() > deadline) throw new Error(`no pending operation appeared:\n${printed}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    process.kill(-(victim.pid as number), "SIGKILL");
    await new Promise((resolve) => victim.once("exit", resolve));
    expect((await machineB.status("site-shared")).status).toBe("Failure");
    const recovered = await machineB.up(site("5"));
    expect(recovered.status).toBe("Running");
    expect(recovered.recovery).toMatch(
      /^removed the engine lock left by \S+ \(pid \d+\) since \S+, which is gone; recovered \d+ pending operation\(s\) left by an interrupted run: /,
    );
  }, 600_000);

  test("cleanup --expired on B finds a staging A created", async () => {
    const staging: StackTarget<FileSiteSpec & { spec?: { ttl: string } }> = {
      stack: "staging-pr-7",
      kind: "Staging",
      labels: {},
      spec: { ...site("1").spec, dir: join(sites, "pr-7"), spec: { ttl: "1h" } },
    };
    await machineA.setSecret("staging-pr-7", "SHARED_TOKEN", token);
    await machineA.up(staging);
    const view = new StatusView(
      (await openStoreFacts(machineB.settings, cloneB, {
        ...s3.env,
        PULUMI_BACKEND_URL: s3.backendUrl,
      }))!,
      undefined,
      () => new Date(Date.now() + 2 * 3_600_000),
      stackTtlStatus,
    );
    const expired = await resolveTargets(
      { operands: [], all: false, expired: true, sitesDir: "sites" },
      () => view.list(),
      false,
    );
    expect(expired.map((target) => target.stack)).toEqual(["staging-pr-7"]);
    await machineB.cleanup(expired[0] as unknown as StackTarget<FileSiteSpec>);
  }, 300_000);

  test("A cleans up; B's list no longer shows the site", async () => {
    await machineA.cleanup(site("5"));
    expect(await machineB.list()).toEqual([]);
    // The engine keeps a .bak of a removed stack's last checkpoint; the checkpoint itself is gone.
    expect(await s3.listKeys(".pulumi/stacks/sitestack/site-shared.json")).toEqual([
      ".pulumi/stacks/sitestack/site-shared.json.bak",
    ]);
  }, 300_000);
});
