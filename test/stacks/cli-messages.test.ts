import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runSecretSet } from "../../stacks/cli/lifecycle/query.js";
import { runCliCaptured } from "../support/run-cli.js";
import { fakeBackend, fakeMetadata, type FakeBackend } from "./support/diy-backend.js";

// A newcomer's mistakes, each answered without starting the engine: the message says what
// happened, why, and the command that fixes it. The backend is a DIY folder written the way the
// engine writes it, holding one stack, site-bodega.
const repoRoot = resolve(import.meta.dirname, "..", "..");
const project = mkdtempSync(join(tmpdir(), "sitestack-messages-"));
const emptyBackend = mkdtempSync(join(tmpdir(), "sitestack-messages-empty-"));
const cwd = process.cwd();
let backend: FakeBackend & { readonly dir: string };
let env: Record<string, string>;

beforeAll(async () => {
  mkdirSync(join(project, "sites"));
  for (const site of ["acme", "bodega"]) {
    copyFileSync(join(repoRoot, "sites", `${site}.yaml`), join(project, "sites", `${site}.yaml`));
  }
  backend = await fakeBackend();
  await backend.put({
    stack: "site-bodega",
    metadata: fakeMetadata("BoxSite", { labels: { team: "shops" } }),
    resources: 3,
    updates: [{ kind: "update", result: "succeeded", endTime: new Date() }],
  });
  env = { PULUMI_BACKEND_URL: backend.url, PULUMI_CONFIG_PASSPHRASE: "messages-test-pass" };
  process.chdir(project);
});

afterAll(() => {
  process.chdir(cwd);
  for (const dir of [project, emptyBackend, backend.dir]) {
    rmSync(dir, { recursive: true, force: true });
  }
});

const where = () => `the backend ${backend.url} (PULUMI_BACKEND_URL)`;

describe("what a newcomer's mistakes print", () => {
  test("a site file that does not exist: which files there are", async () => {
    const run = await runCliCaptured(["up", "sites/nope.yaml"], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "error: sites/nope.yaml: no such file; the site files in sites/ are acme.yaml, bodega.yaml\n",
    );
  });

  test("a name that is neither a site file nor a stack: where it was looked for", async () => {
    const run = await runCliCaptured(["up", "nope"], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `error: nope: no stack named nope, site-nope or staging-nope in ${where()} and no site file sites/nope.yaml; it has site-bodega (see \`sitestack list\`)\n`,
    );
  });

  test("status of a stack that does not exist, and of a site file never applied", async () => {
    const nope = await runCliCaptured(["status", "nope"], env);
    expect(nope.code).toBe(3);
    expect(nope.stderr).toBe(
      `error: no stack named nope, site-nope or staging-nope in ${where()} and no site file sites/nope.yaml; it has site-bodega (see \`sitestack list\`)\n`,
    );
    const acme = await runCliCaptured(["outputs", "site-acme"], env);
    expect(acme.code).toBe(3);
    expect(acme.stderr).toBe(
      `error: no stack named site-acme in ${where()}; it has site-bodega (see \`sitestack list\`); sites/acme.yaml was never applied there: \`sitestack up sites/acme.yaml\` creates its stack\n`,
    );
  });

  test("a second, empty backend: it has no stacks, they stay where they were made", async () => {
    const other = { ...env, PULUMI_BACKEND_URL: `file://${emptyBackend}` };
    const status = await runCliCaptured(["status", "bodega"], other);
    expect(status.code).toBe(3);
    expect(status.stderr).toBe(
      `error: no stack named bodega, site-bodega or staging-bodega in the backend file://${emptyBackend} (PULUMI_BACKEND_URL); it has no stacks yet (stacks stay in the backend they were made in); sites/bodega.yaml was never applied there: \`sitestack up sites/bodega.yaml\` creates its stack\n`,
    );
    const list = await runCliCaptured(["list"], other);
    expect(list.stdout).toBe(
      `no stacks in the backend file://${emptyBackend} (PULUMI_BACKEND_URL) yet: \`sitestack up sites/<name>.yaml\` creates one (stacks stay in the backend they were made in)\n`,
    );
  });

  test("a selector that matches nothing says so instead of printing an empty table", async () => {
    const run = await runCliCaptured(["list", "--selector", "team=blogs"], env);
    expect(run.stdout).toBe(
      `no stack in ${where()} matches --selector team=blogs (it has 1: \`sitestack list\` shows them with their labels)\n`,
    );
  });

  test("a verb without targets shows the ways to name them", async () => {
    const up = await runCliCaptured(["up"], env);
    expect(up.code).toBe(2);
    expect(up.stderr).toBe(
      "error: up needs site files or stacks to work on: `sitestack up sites/acme.yaml`, `sitestack up --all` (every file in sites/) or `sitestack up --selector team=shops`\n",
    );
    const cleanup = await runCliCaptured(["cleanup"], env);
    expect(cleanup.stderr).toBe(
      "error: cleanup needs stacks to work on: `sitestack cleanup site-acme` (or the site name, acme), `sitestack cleanup --all` (every stack in the backend), `sitestack cleanup --expired` (stagings past their ttl) or `sitestack cleanup --selector team=shops`\n",
    );
  });

  test("a bad selector is named as the option it came from", async () => {
    const run = await runCliCaptured(["list", "--selector", "team"], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error: --selector: selector requirement "team" must be key=value or key!=value (keys and values: letters, digits, ".", "_", "-")\n',
    );
  });

  test("a destructive verb without a terminal says to add --yes, without the '1 problem' preamble", async () => {
    const run = await runCliCaptured(["destroy", "bodega"], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "error: destroy deletes resources and needs --yes when not run on a terminal (there is nobody to ask): run it again with --yes to delete site-bodega\n",
    );
  });

  test("a secret for a site that has neither a stack nor a site file", async () => {
    let stderr = "";
    const code = await runSecretSet(
      "nope",
      "TOKEN",
      { stdout: () => {}, stderr: (text) => void (stderr += text), env },
      Readable.from(["a-value"]),
    );
    expect(code).toBe(3);
    expect(stderr).toBe(
      `error: no stack named nope, site-nope or staging-nope in ${where()} and no site file sites/nope.yaml; it has site-bodega (see \`sitestack list\`): a secret belongs to a site, so write sites/nope.yaml first (or name an existing stack)\n`,
    );
  });

  test("history --limit must be a number", async () => {
    const run = await runCliCaptured(["history", "bodega", "--limit", "x"], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--limit must be a whole number ≥ 1, got "x"');
  });
});
