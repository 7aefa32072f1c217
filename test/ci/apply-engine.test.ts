import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ciApply, type ApplyReport } from "../../stacks/ci/apply.js";
import { renderApplySummary } from "../../stacks/ci/apply-summary.js";
import type { ManagerEvent } from "../../stacks/manager/events.js";
import type { StackManager } from "../../stacks/manager/manager.js";
import { siteStackManager } from "../../stacks/site-stacks.js";
import type { SiteSpec } from "../../stacks/site-model/index.js";
import { runCliCaptured } from "../support/run-cli.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";
import { writeAcmeWithoutCloudflare } from "../support/site-files.js";
import { copySite, git, repositoryRoot } from "./support/pr-repo.js";

/*
 * `ci apply` end to end with the real engine in render mode (the local default; box sites need no
 * cluster then): a first push adds three sites, a second changes two and deletes one without
 * approval (refused, left alone, reported as an orphan), a third run over a range with a
 * `Sitestack-Destroy:` trailer cleans the deleted one up. Every line the pipeline wrote is searched
 * for the known secret values.
 */

const secrets = {
  SITESTACK_SECRET_ACME_OIDC_CLIENT_SECRET: "known-acme-oidc-9f1c2e7d",
  SITESTACK_SECRET_THEMES_REDIS_URL: "redis://:known-redis-pw-41bd@themes:6379/0",
  SITESTACK_SECRET_BODEGA_OIDC_CLIENT_SECRET: "known-bodega-oidc-5a0e33c1",
  SITESTACK_SECRET_OLDSHOP_OIDC_CLIENT_SECRET: "known-oldshop-oidc-77e2aa90",
};

let fixture: TestEngine;
let dir: string;
let manager: StackManager<SiteSpec>;
const written: string[] = [];
const commits: Record<string, string> = {};

function record(event: ManagerEvent): void {
  written.push(JSON.stringify(event));
}

async function apply(base: string, sites?: string[]): Promise<ApplyReport> {
  const report = await ciApply({
    repoDir: dir,
    base,
    manager,
    onEvent: record,
    ...(sites === undefined ? {} : { sites }),
  });
  written.push(JSON.stringify(report), renderApplySummary(report));
  return report;
}

function rows(report: ApplyReport): string[] {
  return report.entries.map((entry) => `${entry.stack} ${entry.action} ${entry.result}`);
}

beforeAll(async () => {
  fixture = await startTestEngine();
  dir = join(fixture.dir, "project");
  mkdirSync(join(dir, "sites"), { recursive: true });
  git(dir, "init", "--quiet", "--initial-branch=main");
  writeFileSync(join(dir, "README.md"), "sites\n");
  git(dir, "add", "-A");
  git(dir, "commit", "--quiet", "-m", "empty");
  commits.empty = git(dir, "rev-parse", "HEAD");
  writeAcmeWithoutCloudflare(dir);
  copySite(dir, "bodega.yaml");
  writeFileSync(
    join(dir, "sites", "oldshop.yaml"),
    readFileSync(join(repositoryRoot, "sites", "bodega.yaml"), "utf8")
      .replace("name: bodega", "name: oldshop")
      .replace("siteId: 1107", "siteId: 1108")
      .replace("code: bodega", "code: oldshop")
      .replace("domain: bodegadelbarrio.pe", "domain: oldshop.pe")
      .replace("BODEGA_OIDC", "OLDSHOP_OIDC"),
  );
  git(dir, "add", "-A");
  git(dir, "commit", "--quiet", "-m", "Add three shops");
  commits.added = git(dir, "rev-parse", "HEAD");
  manager = siteStackManager({
    projectDir: dir,
    engine: fixture.engine,
    env: { PULUMI_CONFIG_PASSPHRASE: fixture.passphrase, ...secrets },
  });
}, 600_000);

afterAll(async () => {
  await fixture?.dispose();
});

describe("sitestack ci apply with the real engine", { timeout: 600_000 }, () => {
  test("a push that adds three sites applies exactly those three", async () => {
    const report = await apply(commits.empty!);
    expect(rows(report).sort()).toEqual([
      "site-acme up succeeded",
      "site-bodega up succeeded",
      "site-oldshop up succeeded",
    ]);
    expect(report.entries.every((entry) => entry.status === "Running")).toBe(true);
    expect(report.exitCode).toBe(0);
    expect(report.orphans).toEqual([]);
  });

  test("two pipelines applying one push at once: the second waits for the stack's lock", async () => {
    writeFileSync(
      join(dir, "sites", "acme.yaml"),
      readFileSync(join(dir, "sites", "acme.yaml"), "utf8").replace("replicas: 2", "replicas: 3"),
    );
    git(dir, "commit", "--quiet", "-am", "Three acme replicas");
    const base = git(dir, "rev-parse", "HEAD~1");
    // A second machine: its own manager on the same backend, so only the engine's lock is shared.
    const second = siteStackManager({
      projectDir: dir,
      engine: fixture.engine,
      env: { PULUMI_CONFIG_PASSPHRASE: fixture.passphrase, ...secrets },
    });
    const waited: string[] = [];
    const run = (on: typeof manager) =>
      ciApply({
        repoDir: dir,
        base,
        manager: on,
        onEvent: (event) => {
          record(event);
          if (event.type === "waiting") waited.push(event.stack);
        },
      });
    const [one, two] = await Promise.all([run(manager), run(second)]);
    expect([rows(one), rows(two)]).toEqual([
      ["site-acme up succeeded"],
      ["site-acme up succeeded"],
    ]);
    expect(waited.length).toBeGreaterThan(0);
    expect(new Set(waited)).toEqual(new Set(["site-acme"]));
    commits.added = git(dir, "rev-parse", "HEAD");
  });

  test("two changed sites are applied; a deleted one is refused without approval and kept", async () => {
    const edit = (file: string) =>
      writeFileSync(
        join(dir, "sites", file),
        readFileSync(join(dir, "sites", file), "utf8").replace(
          "labels: { team: shops }",
          "labels: { team: shops, tier: gold }",
        ),
      );
    edit("acme.yaml");
    edit("bodega.yaml");
    git(dir, "rm", "--quiet", "sites/oldshop.yaml");
    git(dir, "commit", "--quiet", "-am", "Label two shops gold, retire oldshop");
    commits.removed = git(dir, "rev-parse", "HEAD");

    const report = await apply(commits.added!);
    expect(rows(report)).toEqual([
      "site-acme up succeeded",
      "site-bodega up succeeded",
      "site-oldshop refused refused",
    ]);
    expect(report.exitCode).toBe(2);
    expect(report.entries[2]?.message).toBe(
      `sites/oldshop.yaml was removed, but no commit in ${commits.added}..HEAD carries \`Sitestack-Destroy: oldshop\`: site-oldshop was left as it is (reported as an orphan)`,
    );
    expect(report.orphans.map((orphan) => `${orphan.stack} ${orphan.status}`)).toEqual([
      "site-oldshop Running",
    ]);
    expect((await manager.list()).map((stack) => stack.stack)).toEqual([
      "site-acme",
      "site-bodega",
      "site-oldshop",
    ]);
    const summary = renderApplySummary(report);
    expect(summary).toContain("### Deletions waiting for approval");
    expect(summary).toContain(
      "- site\\-oldshop (sites\\/oldshop\\.yaml, Running): would be destroyed with `Sitestack-Destroy: oldshop`",
    );
  });

  test("with a Sitestack-Destroy trailer in the range, the deleted site's stack is cleaned up", async () => {
    git(dir, "commit", "--quiet", "--allow-empty", "-m", "Approve\n\nSitestack-Destroy: oldshop");
    const report = await apply(commits.added!, ["oldshop"]);
    expect(rows(report)).toEqual(["site-oldshop cleanup succeeded"]);
    expect(report.entries[0]?.approvedBy).toBe(git(dir, "rev-parse", "HEAD"));
    expect(report.exitCode).toBe(0);
    expect(report.orphans).toEqual([]);
    expect((await manager.list()).map((stack) => stack.stack)).toEqual([
      "site-acme",
      "site-bodega",
    ]);
  });

  test("a --site that did not change is refused before anything runs", async () => {
    await expect(apply(commits.added!, ["nosuch"])).rejects.toThrow(
      /^--site nosuch: not changed between .* \(changed: acme, bodega, oldshop\)$/,
    );
  });

  test("the CLI prints progress, the summary and the job summary; a re-run changes nothing", async () => {
    const summaryFile = join(fixture.dir, "step-summary.md");
    const outFile = join(fixture.dir, "out", "apply.md");
    const saved = process.cwd();
    process.chdir(dir);
    try {
      const result = await runCliCaptured(
        ["ci", "apply", "--base", commits.added!, "--out", outFile],
        {
          ...(process.env as Record<string, string>),
          CI: "1",
          PULUMI_CONFIG_PASSPHRASE: fixture.passphrase,
          GITHUB_STEP_SUMMARY: summaryFile,
          ...secrets,
        },
      );
      written.push(result.stdout, result.stderr, readFileSync(summaryFile, "utf8"));
      expect(result.code).toBe(0);
      expect(result.stderr).toContain("[site-acme] up started");
      expect(result.stdout).toContain(
        "| acme<br>site\\-acme | site file changed | up | ✅ succeeded | Running |",
      );
      expect(result.stdout).toContain(
        "| oldshop<br>site\\-oldshop | site file deleted | nothing to destroy | ➖ skipped |",
      );
      expect(readFileSync(outFile, "utf8")).toBe(result.stdout);
      expect(readFileSync(summaryFile, "utf8")).toBe(result.stdout);
    } finally {
      process.chdir(saved);
    }
  });

  test("no line the pipeline wrote holds a secret value", () => {
    expect(written.length).toBeGreaterThan(10);
    const all = written.join("\n");
    for (const value of [...Object.values(secrets), fixture.passphrase]) {
      expect(all).not.toContain(value);
    }
  });
});
