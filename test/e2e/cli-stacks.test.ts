import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { runCli } from "../../stacks/cli/main.js";
import type { CliIo } from "../../stacks/io.js";
import type { SiteSpec } from "../../stacks/site-model/site.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";

// The CLI runs its real dispatcher in production; here every site maps to the file test site, so
// the whole CLI path (selection, manager, engine, output) runs without a Kubernetes provider.
const siteRoot = vi.hoisted(() => ({ dir: "" }));
vi.mock("../../stacks/program/index.js", async () => {
  const { fileSiteProgram } = await import("../stacks/support/file-site.js");
  return {
    siteProgram: (spec: SiteSpec, context: Parameters<typeof fileSiteProgram>[1]) =>
      fileSiteProgram(
        {
          dir: join(siteRoot.dir, spec.metadata.name),
          version: JSON.stringify(spec.spec).length.toString(),
          token: { secret: "ACME_OIDC_CLIENT_SECRET" },
        },
        context,
      ),
  };
});

const secretValue = "cli-oidc-secret-93ad";
let fixture: TestEngine;
let projectDir: string;
const transcript: string[] = [];

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIo = {
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
    env: { ...process.env, CI: "1" },
  };
  const code = await runCli(args, io);
  transcript.push(out, err);
  return { code, out, err };
}

beforeAll(async () => {
  fixture = await startTestEngine();
  projectDir = join(fixture.dir, "project");
  siteRoot.dir = join(fixture.dir, "sites-out");
  mkdirSync(join(projectDir, "sites"), { recursive: true });
  copyFileSync("sites/acme.yaml", join(projectDir, "sites/acme.yaml"));
  process.env.PULUMI_HOME = join(fixture.dir, "home");
  process.env.PULUMI_CONFIG_PASSPHRASE = fixture.passphrase;
  process.env.SITESTACK_SECRET_ACME_OIDC_CLIENT_SECRET = secretValue;
  process.env.SITESTACK_SECRET_THEMES_REDIS_URL = "redis://themes.internal:6379/0";
  process.chdir(projectDir);
}, 600_000);

afterAll(async () => {
  await fixture?.dispose();
});

describe("sitestack lifecycle verbs with the real engine", () => {
  test("every verb has help text", async () => {
    const help = await cli("--help");
    for (const verb of [
      "preview",
      "up",
      "refresh",
      "archive",
      "restore",
      "destroy",
      "cleanup",
      "status",
      "list",
      "outputs",
      "history",
      "unlock",
    ]) {
      expect(help.out).toMatch(new RegExp(`\\n  ${verb} `));
      const verbHelp = await cli(verb, "--help");
      expect(verbHelp.out).toContain(`Usage: sitestack ${verb}`);
      expect(verbHelp.out).toContain("Examples:");
    }
  });

  test("preview prints per-type creates, prefixed with the stack, and exits 0", async () => {
    const result = await cli("preview", "sites/acme.yaml");
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).toContain("[site-acme] preview started");
    expect(result.out).toContain(
      "[site-acme]   pulumi-nodejs:dynamic/sitestack-test:TextFile: 3 create",
    );
    expect(result.out).toMatch(
      /\nSTACK +RESULT +STATUS +CHANGES +TIME +NOTE\nsite-acme +succeeded/,
    );
  }, 180_000);

  test("up --json streams one JSON object per line and ends with a summary", async () => {
    const result = await cli("up", "--all", "--json");
    expect(result.code).toBe(0);
    const lines = result.out
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string });
    expect(lines[0]).toMatchObject({ type: "start", stack: "site-acme", verb: "up" });
    expect(lines.some((line) => line.type === "resource")).toBe(true);
    expect(lines.at(-1)).toMatchObject({
      type: "summary",
      rows: [
        {
          stack: "site-acme",
          result: "succeeded",
          status: "Running",
          outputs: { token: "[secret]" },
        },
      ],
    });
  }, 180_000);

  test("status and list read the backend; a label selector filters", async () => {
    const status = await cli("status", "acme");
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/site-acme +BoxSite +Running +up +succeeded/);
    expect(status.out).toContain("token = [secret]");
    const listed = await cli("list", "--selector", "team=shops", "--json");
    expect((JSON.parse(listed.out) as { stack: string }[]).map((r) => r.stack)).toEqual([
      "site-acme",
    ]);
    const none = await cli("list", "--selector", "team=blogs", "--json");
    expect(JSON.parse(none.out)).toEqual([]);
  });

  test("refresh, archive, restore, outputs, history and unlock work by site name", async () => {
    expect((await cli("refresh", "acme")).code).toBe(0);
    const archived = await cli("archive", "acme");
    expect(archived.code).toBe(0);
    expect(archived.out).toMatch(/site-acme +succeeded +Archived/);
    expect(existsSync(join(siteRoot.dir, "acme", "web.txt"))).toBe(false);
    const restored = await cli("restore", "site-acme");
    expect(restored.out).toMatch(/site-acme +succeeded +Running/);
    expect(existsSync(join(siteRoot.dir, "acme", "web.txt"))).toBe(true);
    const outputs = await cli("outputs", "acme");
    expect(outputs.out).toContain("token = [secret]\n");
    const history = await cli("history", "acme", "--json");
    expect((JSON.parse(history.out) as { kind: string }[]).map((entry) => entry.kind)).toEqual([
      "update",
      "update",
      "refresh",
      "update",
    ]);
    expect((await cli("unlock", "acme")).out).toBe("site-acme is not locked\n");
  }, 300_000);

  test("destroy refuses to run without a terminal and without --yes, and changes nothing", async () => {
    const result = await cli("destroy", "acme");
    expect(result.code).toBe(2);
    expect(result.err).toBe(
      "error: destroy deletes resources and needs --yes when not run on a terminal (there is nobody to ask): run it again with --yes to delete site-acme\n",
    );
    expect(readFileSync(join(siteRoot.dir, "acme", "web.txt"), "utf8")).toMatch(/^web /);
  });

  test("typed errors map to exit codes: unknown stack 3, unknown operand 2, bad selector 2", async () => {
    expect((await cli("status", "nosuch")).code).toBe(3);
    const unknown = await cli("up", "nosuch");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain(
      "nosuch: no stack named nosuch, site-nosuch or staging-nosuch in the backend ",
    );
    expect((await cli("list", "--selector", "team")).code).toBe(2);
  });

  test("cleanup --yes removes everything; the stack is gone afterwards", async () => {
    const result = await cli("cleanup", "acme", "--yes");
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/site-acme +succeeded +removed/);
    expect(existsSync(join(siteRoot.dir, "acme", "data.txt"))).toBe(false);
    expect((await cli("status", "acme")).code).toBe(3);
  }, 240_000);

  test("no CLI output of the whole session contains the secret value", () => {
    expect(transcript.join("").length).toBeGreaterThan(1_000);
    expect(transcript.join("")).not.toContain(secretValue);
  });
});
