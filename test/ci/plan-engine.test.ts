/**
 * `sitestack ci plan` end to end with the real engine (render mode, the local default): a PR that
 * changes a box site, changes the chart a staging uses and deletes a deployed box site. Run with
 * every secret, then fork-style with none; every file the plan writes and everything it prints is
 * searched for the secret values.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CliIo } from "../../stacks/io.js";
import { runCiPlan } from "../../stacks/ci/plan.js";
import type { CiPlan } from "../../stacks/ci/plan-model.js";
import { planMarker } from "../../stacks/ci/render-plan.js";
import { ValidationFailed } from "../../stacks/errors.js";
import { siteStackManager } from "../../stacks/site-stacks.js";
import { siteTarget } from "../../stacks/site-target.js";
import { loadSiteFile } from "../../stacks/site-model/load.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";
import { writeAcmeWithoutCloudflare } from "../support/site-files.js";
import { copySite, git, repositoryRoot } from "./support/pr-repo.js";

const secrets = {
  SITESTACK_SECRET_ACME_OIDC_CLIENT_SECRET: "acme-oidc-9f1e2d3c4b5a",
  SITESTACK_SECRET_THEMES_REDIS_URL: "redis://:themes-pass-7c6b5a49@redis.internal:6379/0",
  SITESTACK_SECRET_BODEGA_OIDC_CLIENT_SECRET: "bodega-oidc-1a2b3c4d5e6f",
  SITESTACK_SECRET_STAGING_OIDC_CLIENT_SECRET: "staging-oidc-0f9e8d7c6b",
  SITESTACK_SECRET_STAGING_DB_PASSWORD: "staging-db-pass-5a4b3c2d1e",
};

let fixture: TestEngine;
let projectDir: string;

function capture(env: Record<string, string>): CliIo & { out: () => string; err: () => string } {
  let stdout = "";
  let stderr = "";
  return {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env,
    out: () => stdout,
    err: () => stderr,
  };
}

beforeAll(async () => {
  fixture = await startTestEngine();
  projectDir = join(fixture.dir, "project");
  mkdirSync(join(projectDir, "sites"), { recursive: true });
  git(projectDir, "init", "--quiet", "--initial-branch=main");
  cpSync(join(repositoryRoot, "charts"), join(projectDir, "charts"), { recursive: true });
  writeAcmeWithoutCloudflare(projectDir);
  copySite(projectDir, "bodega.yaml");
  copySite(projectDir, "pr-42.yaml");
  writeFileSync(join(projectDir, ".gitignore"), ".sitestack/\nPulumi.yaml\nconfig/\n");
  git(projectDir, "add", "-A");
  git(projectDir, "commit", "--quiet", "-m", "base");
  // acme and bodega are live: deleting acme's file must list what destroying it would delete,
  // and bodega's change is an update of what runs.
  const live = siteStackManager({
    projectDir,
    engine: fixture.engine,
    env: { PULUMI_CONFIG_PASSPHRASE: fixture.passphrase, ...secrets },
  });
  for (const name of ["acme", "bodega"]) {
    const loaded = await loadSiteFile(join(projectDir, "sites", `${name}.yaml`));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    await live.up(siteTarget(loaded.spec, `sites/${name}.yaml`));
  }
  git(projectDir, "checkout", "--quiet", "-b", "pr");
  // Themes sync every minute instead of every 5: the sync sidecar changes, nothing else.
  copySite(projectDir, "bodega.yaml", (text) => text.replace("interval: 5m", "interval: 1m"));
  const values = join(projectDir, "charts", "box", "values.yaml");
  writeFileSync(values, `${readFileSync(values, "utf8")}\n# tuned in the PR\n`);
  // A new object in the PR's chart: the preview must render the project's chart, not sitestack's.
  writeFileSync(
    join(projectDir, "charts", "box", "templates", "pr-note.yaml"),
    [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      '  name: {{ include "box.fullname" . }}-pr-note',
      "  labels:",
      '    {{- include "box.labels" (dict "ctx" $ "component" "web") | nindent 4 }}',
      "data:",
      "  note: added in the PR",
      "",
    ].join("\n"),
  );
  git(projectDir, "rm", "--quiet", "sites/acme.yaml");
  git(projectDir, "add", "-A");
  git(projectDir, "commit", "--quiet", "-m", "pr");
}, 600_000);

afterAll(async () => {
  await fixture?.dispose();
});

/** Every file under `dir`, recursively, with its text. */
function filesUnder(dir: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      found[path] = readFileSync(path, "utf8");
    }
  }
  return found;
}

async function plan(name: string, env: Record<string, string>) {
  const io = capture({
    PULUMI_CONFIG_PASSPHRASE: fixture.passphrase,
    GITHUB_STEP_SUMMARY: join(fixture.dir, `${name}-step-summary.md`),
    ...env,
  });
  const manager = siteStackManager({ projectDir, engine: fixture.engine, env: io.env });
  const out = join(fixture.dir, name);
  const code = await runCiPlan(
    { base: "main", out, json: true, projectDir, artifactName: "sitestack-plan" },
    io,
    { manager },
  );
  const written = {
    ...filesUnder(out),
    [io.env.GITHUB_STEP_SUMMARY!]: readFileSync(io.env.GITHUB_STEP_SUMMARY!, "utf8"),
  };
  return { code, io, written, plan: JSON.parse(written[join(out, "plan.json")]!) as CiPlan, out };
}

describe("ci plan with the real engine", { timeout: 300_000 }, () => {
  test("previews the changed box site and the staging of the changed chart, lists the deleted site's resources", async () => {
    const { code, io, written, plan: result, out } = await plan("full", secrets);
    expect(io.err()).not.toContain("preview failed");
    expect(code).toBe(0);
    expect(result.result).toBe("ok");
    expect(result.sites.map((site) => [site.stack, site.change, site.status, site.reason])).toEqual(
      [
        ["site-bodega", "changed", "planned", "site file changed"],
        ["staging-pr-42", "changed", "planned", "chart box changed"],
      ],
    );
    const bodega = result.sites[0]!;
    // A live site whose themes sync more often: its Deployment is updated, nothing else.
    expect(bodega.resources.map((r) => [r.op, r.type, r.name])).toEqual([
      ["update", "kubernetes:apps/v1:Deployment", "bodega"],
    ]);
    // The changed property's path (the sync interval in the sidecar's environment), not its value.
    expect(bodega.resources[0]!.diffs).toHaveLength(1);
    expect(bodega.resources[0]!.diffs[0]).toMatch(
      /^spec\.template\.spec\.containers\[\d+\]\.env\[\d+\]\.value$/,
    );
    expect(bodega.counts).toMatchObject({ create: 0, update: 1, replace: 0, delete: 0 });
    expect(bodega.counts.same).toBeGreaterThan(3);
    expect(bodega.nextSteps?.domain).toBe("bodegadelbarrio.pe");
    expect(bodega.unknownSecrets).toEqual([]);
    expect(result.sites[1]!.counts.create).toBeGreaterThan(3);
    expect(
      result.sites[1]!.resources.filter(
        (r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name.endsWith("-pr-note"),
      ),
    ).toHaveLength(1);
    expect(result.deletions).toHaveLength(1);
    const acme = result.deletions[0]!;
    expect(acme).toMatchObject({
      path: "sites/acme.yaml",
      stack: "site-acme",
      exists: true,
      status: "Running",
    });
    expect(acme.resources.map((r) => r.type)).toContain("kubernetes:apps/v1:Deployment");
    // The namespace keeps the certificates: destroy leaves it (cleanup removes it).
    expect(acme.resources.filter((r) => r.retained).map((r) => r.type)).toContain(
      "kubernetes:core/v1:Namespace",
    );
    expect(result.orphans).toEqual([]);
    const summary = written[join(out, "summary.md")]!;
    expect(summary.startsWith(`${planMarker}\n`)).toBe(true);
    expect(summary).toContain("| site\\-acme | BoxSite | Running |");
    expect(JSON.parse(io.out())).toEqual(result);
    // The previews left nothing in the backend: only the two live sites are stacks.
    const stacks = await siteStackManager({
      projectDir,
      engine: fixture.engine,
      env: io.env,
    }).list();
    expect(stacks.map((stack) => stack.stack)).toEqual(["site-acme", "site-bodega"]);
    for (const [file, text] of Object.entries({ ...written, stdout: io.out(), stderr: io.err() })) {
      for (const value of Object.values(secrets)) {
        expect(text.includes(value), `${file} holds a secret value`).toBe(false);
      }
    }
  });

  test("fork-style, with no secret values: previews with unknowns and names them", async () => {
    const { code, io, written, plan: result, out } = await plan("fork", {});
    expect(io.err()).not.toContain("preview failed");
    expect(code).toBe(0);
    expect(result.sites.map((site) => [site.stack, site.status, site.unknownSecrets])).toEqual([
      ["site-bodega", "planned", ["BODEGA_OIDC_CLIENT_SECRET"]],
      ["staging-pr-42", "planned", ["STAGING_DB_PASSWORD", "STAGING_OIDC_CLIENT_SECRET"]],
    ]);
    // An unknown value plans as a change: bodega's Secret, known only after up.
    const secret = result.sites[0]!.resources.find((r) => r.type === "kubernetes:core/v1:Secret");
    expect(["update", "replace"]).toContain(secret?.counted);
    expect(result.sites[1]!.counts.create).toBeGreaterThan(3);
    expect(written[join(out, "summary.md")]).toContain(
      "Names: BODEGA\\_OIDC\\_CLIENT\\_SECRET, STAGING\\_DB\\_PASSWORD, STAGING\\_OIDC\\_CLIENT\\_SECRET.",
    );
  });

  test("up still refuses a secret with no value, whatever a preview was allowed", async () => {
    const bodega = await loadSiteFile(join(projectDir, "sites", "bodega.yaml"));
    if (!bodega.ok) throw new Error("bodega does not parse");
    const manager = siteStackManager({
      projectDir,
      engine: fixture.engine,
      env: { PULUMI_CONFIG_PASSPHRASE: fixture.passphrase },
    });
    const error = await manager
      .up(siteTarget(bodega.spec, "sites/bodega.yaml"), { missingSecrets: "unknown" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as Error).message).toBe(
      "1 problem: secret BODEGA_OIDC_CLIENT_SECRET is not set: export SITESTACK_SECRET_BODEGA_OIDC_CLIENT_SECRET, or store it once with `sitestack secret set site-bodega BODEGA_OIDC_CLIENT_SECRET` (reads the value from stdin; stored encrypted in config/Pulumi.site-bodega.yaml)",
    );
    expect((await manager.list()).map((stack) => stack.stack)).toEqual([
      "site-acme",
      "site-bodega",
    ]);
  });
});
