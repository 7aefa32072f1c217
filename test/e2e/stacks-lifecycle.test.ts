import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { StackLocked, StackNotFound } from "../../stacks/errors.js";
import { StackManager, type ManagerEvent } from "../../stacks/manager/manager.js";
import type { StackTarget } from "../../stacks/manager/target.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";
import { fileSiteProgram, type FileSiteSpec } from "../stacks/support/file-site.js";

// A value that must never appear in state, outputs, events or logs.
const secretValue = "s3cr3t-token-7f9d2c";

let fixture: TestEngine;
let manager: StackManager<FileSiteSpec>;
let siteDir: string;
const events: ManagerEvent[] = [];

function target(version: string): StackTarget<FileSiteSpec> {
  return {
    stack: "site-files",
    kind: "FileSite",
    labels: { team: "qa" },
    file: "sites/files.yaml",
    spec: { dir: siteDir, version, token: { secret: "FILES_TOKEN" } },
  };
}

const record = (event: ManagerEvent) => void events.push(event);

/** Every file under `dir`, except under the named top-level folders. */
async function filesUnder(dir: string, skip: readonly string[] = []): Promise<string[]> {
  const found: string[] = [];
  for (const name of await readdir(dir)) {
    if (skip.includes(name)) continue;
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) found.push(...(await filesUnder(path)));
    else found.push(path);
  }
  return found;
}

beforeAll(async () => {
  fixture = await startTestEngine();
  siteDir = join(fixture.dir, "site");
  const projectDir = join(fixture.dir, "project");
  await mkdir(projectDir, { recursive: true });
  manager = new StackManager<FileSiteSpec>({
    projectDir,
    engine: fixture.engine,
    program: fileSiteProgram,
    env: {
      PULUMI_CONFIG_PASSPHRASE: fixture.passphrase,
      SITESTACK_SECRET_FILES_TOKEN: secretValue,
    },
  });
});

afterAll(async () => {
  await fixture?.dispose();
});

describe("the stack manager with the real engine (file backend, passphrase secrets)", () => {
  test("preview of a new stack lists the creates per resource type and changes nothing", async () => {
    const outcome = await manager.preview(target("1"), { onEvent: record });
    expect(outcome.summary.byType).toEqual({
      "sitestack-test:site:FileSite": { create: 1 },
      "pulumi-nodejs:dynamic/sitestack-test:TextFile": { create: 3 },
    });
    expect(existsSync(join(siteDir, "web.txt"))).toBe(false);
    await expect(manager.status("site-files")).rejects.toBeInstanceOf(StackNotFound);
  }, 180_000);

  test("up creates the stack, records Running with outputs and masks the secret output", async () => {
    const outcome = await manager.up(target("1"), { onEvent: record });
    expect(outcome.status).toBe("Running");
    expect(outcome.summary.totals.create).toBe(4);
    expect(outcome.outputs).toEqual({ url: `file://${siteDir}/web.txt`, token: "[secret]" });
    expect(readFileSync(join(siteDir, "web.txt"), "utf8")).toBe("web 1");
    expect(readFileSync(join(siteDir, "config.txt"), "utf8")).toBe(secretValue);
    const status = await manager.status("site-files");
    expect(status).toMatchObject({
      stack: "site-files",
      kind: "FileSite",
      status: "Running",
      lifecycle: "active",
      labels: { team: "qa" },
      lastOperation: { verb: "up", result: "succeeded" },
    });
    expect(status.holder).toBeUndefined();
  }, 180_000);

  test("a second up with a new version updates only the changed resource", async () => {
    const outcome = await manager.up(target("2"), { onEvent: record, diff: true });
    expect(outcome.summary.byType).toEqual({
      "pulumi-nodejs:dynamic/sitestack-test:TextFile": { update: 1 },
    });
    expect(outcome.diffText).toContain("content");
    expect(readFileSync(join(siteDir, "web.txt"), "utf8")).toBe("web 2");
  }, 180_000);

  test("refresh keeps the stack Running", async () => {
    const outcome = await manager.refresh(target("2"), { onEvent: record });
    expect(outcome.status).toBe("Running");
  }, 180_000);

  test("archive removes the compute and keeps the data; status is Archived", async () => {
    const outcome = await manager.archive(target("ignored"), { onEvent: record });
    expect(outcome.status).toBe("Archived");
    expect(outcome.summary.byType).toEqual({
      "pulumi-nodejs:dynamic/sitestack-test:TextFile": { delete: 1 },
    });
    expect(existsSync(join(siteDir, "web.txt"))).toBe(false);
    expect(readFileSync(join(siteDir, "data.txt"), "utf8")).toBe("precious data");
    expect((await manager.status("site-files")).lifecycle).toBe("archived");
  }, 180_000);

  test("up on an archived stack keeps it archived", async () => {
    const outcome = await manager.up(target("2"), { onEvent: record });
    expect(outcome.status).toBe("Archived");
    expect(existsSync(join(siteDir, "web.txt"))).toBe(false);
  }, 180_000);

  test("restore brings back exactly the last applied settings, not the file's newer ones", async () => {
    const outcome = await manager.restore(target("3-not-applied"), { onEvent: record });
    expect(outcome.status).toBe("Running");
    expect(readFileSync(join(siteDir, "web.txt"), "utf8")).toBe("web 2");
  }, 180_000);

  test("history and outputs come from the engine; secrets stay masked", async () => {
    const history = await manager.history("site-files");
    expect(history.map((entry) => entry.kind)).toEqual([
      "update",
      "update",
      "update",
      "refresh",
      "update",
      "update",
    ]);
    expect(history.every((entry) => entry.result === "succeeded")).toBe(true);
    expect(await manager.outputs("site-files")).toEqual({
      url: `file://${siteDir}/web.txt`,
      token: "[secret]",
    });
  }, 180_000);

  test("no file the state, config and caches hold has the secret in plain text", async () => {
    const files = await filesUnder(fixture.dir, ["site", "home"]);
    expect(files.some((file) => file.endsWith("site-files.json"))).toBe(true);
    const leaking = files.filter((file) => readFileSync(file, "utf8").includes(secretValue));
    expect(leaking).toEqual([]);
    // A secret from the environment is used by the in-process program and never written to config.
    const config = join(manager.settings.configDir, "Pulumi.site-files.yaml");
    expect(existsSync(config) ? readFileSync(config, "utf8") : "").not.toContain("FILES_TOKEN");
  }, 180_000);

  test("unlock refuses nothing when unlocked and names a live holder otherwise", async () => {
    expect(await manager.unlock("site-files")).toEqual([]);
  }, 60_000);

  test("destroy deletes the stack's resources except retained data and removes the stack", async () => {
    const outcome = await manager.destroy(target("2"), { onEvent: record });
    expect(outcome.status).toBeUndefined();
    expect(existsSync(join(siteDir, "web.txt"))).toBe(false);
    expect(existsSync(join(siteDir, "config.txt"))).toBe(false);
    expect(readFileSync(join(siteDir, "data.txt"), "utf8")).toBe("precious data");
    await expect(manager.status("site-files")).rejects.toBeInstanceOf(StackNotFound);
    expect(await manager.list()).toEqual([]);
  }, 180_000);

  test("cleanup deletes everything, retained data included, and leaves no stack behind", async () => {
    await manager.up(target("4"), { onEvent: record });
    const outcome = await manager.cleanup(target("4"), { onEvent: record });
    expect(outcome.summary.totals.delete).toBe(4);
    expect(await readdir(siteDir)).toEqual([]);
    expect(await manager.list()).toEqual([]);
    await expect(manager.refresh(target("4"))).rejects.toBeInstanceOf(StackNotFound);
  }, 240_000);

  test("progress of a one-time engine build reaches the operation's events as notices", async () => {
    const building = new StackManager<FileSiteSpec>({
      projectDir: join(fixture.dir, "project"),
      // An engine that, like sharedEngine on a fresh machine, builds first and says so.
      engine: async (onProgress) => {
        onProgress?.("building pulumi 3.276.0 from Go modules (once per version, about 12 min)");
        onProgress?.("still building pulumi: 0m30s elapsed of about 12m");
        return fixture.engine;
      },
      program: fileSiteProgram,
      env: { PULUMI_CONFIG_PASSPHRASE: fixture.passphrase, SITESTACK_SECRET_FILES_TOKEN: "x" },
    });
    const events: ManagerEvent[] = [];
    await building.preview(
      { ...target("1"), stack: "site-building" },
      { onEvent: (event) => events.push(event) },
    );
    const notices = events.filter((event) => event.type === "notice");
    expect(notices.map((event) => event.message)).toEqual([
      "building pulumi 3.276.0 from Go modules (once per version, about 12 min)",
      "still building pulumi: 0m30s elapsed of about 12m",
    ]);
    expect(notices.every((event) => event.stack === "site-building")).toBe(true);
  }, 240_000);

  test("a secret stored with setSecret lets up run without the environment variable", async () => {
    const stored = new StackManager<FileSiteSpec>({
      projectDir: join(fixture.dir, "project"),
      engine: fixture.engine,
      program: fileSiteProgram,
      env: { PULUMI_CONFIG_PASSPHRASE: fixture.passphrase },
    });
    const storedTarget = {
      ...target("1"),
      stack: "site-stored",
      spec: { ...target("1").spec, dir: join(fixture.dir, "stored") },
    };
    await expect(stored.up(storedTarget)).rejects.toThrow(
      "secret FILES_TOKEN is not set: export SITESTACK_SECRET_FILES_TOKEN, or store it once with `sitestack secret set site-stored FILES_TOKEN` (reads the value from stdin; stored encrypted in config/Pulumi.site-stored.yaml)",
    );
    // The refusal happened before the engine: the stack was never created.
    await expect(stored.status("site-stored")).rejects.toBeInstanceOf(StackNotFound);
    await stored.setSecret("site-stored", "FILES_TOKEN", secretValue);
    const config = readFileSync(join(stored.settings.configDir, "Pulumi.site-stored.yaml"), "utf8");
    expect(config).toMatch(/sitestack:secrets\.FILES_TOKEN:\n\s+secure: v1:/);
    expect(config).not.toContain(secretValue);
    expect((await stored.up(storedTarget)).status).toBe("Running");
    expect(readFileSync(join(fixture.dir, "stored", "config.txt"), "utf8")).toBe(secretValue);
    await stored.cleanup(storedTarget);
  }, 240_000);

  test("no event of the whole lifecycle carries the secret value", () => {
    expect(events.length).toBeGreaterThan(20);
    expect(JSON.stringify(events)).not.toContain(secretValue);
  });

  test("StackLocked is what a live holder's lock gives", () => {
    expect(new StackLocked("site-files").name).toBe("StackLocked");
  });
});
