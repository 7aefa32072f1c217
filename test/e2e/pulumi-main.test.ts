import { copyFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runEngine } from "../../stacks/manager/engine-run.js";
import type { StackManager } from "../../stacks/manager/manager.js";
import { engineEnvironment, ensureProjectFile } from "../../stacks/manager/workspace.js";
import main from "../../stacks/pulumi-main.js";
import { siteStackManager } from "../../stacks/site-stacks.js";
import { loadSiteFile } from "../../stacks/site-model/load.js";
import type { SiteSpec } from "../../stacks/site-model/site.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";

const repositorySitesDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "sites");

// Pulumi.yaml's program (stacks/pulumi-main.ts), run by the real engine. Plain `pulumi up` cannot
// start it here (the Node.js language host cannot be built: docs/engine.md), so the same exported
// function is served to the engine as the language host would serve it: same binary, same project
// folder and Pulumi.yaml, same backend and shared stack config, no sitestack code in between.
describe("Pulumi.yaml's program under the real engine, beside sitestack on one backend", () => {
  let fixture: TestEngine;
  let projectDir: string;
  let manager: StackManager<SiteSpec>;
  let engineEnv: Record<string, string>;
  const workingDir = process.cwd();
  const secret = "pulumi-main-oidc-55c1";

  beforeAll(async () => {
    fixture = await startTestEngine();
    projectDir = join(fixture.dir, "project");
    mkdirSync(join(projectDir, "sites"), { recursive: true });
    copyFileSync(join(repositorySitesDir, "bodega.yaml"), join(projectDir, "sites", "bodega.yaml"));
    const env = { PULUMI_CONFIG_PASSPHRASE: fixture.passphrase };
    manager = siteStackManager({ projectDir, engine: fixture.engine, env });
    engineEnv = await engineEnvironment(
      { ...process.env, ...env },
      manager.settings,
      fixture.engine,
      () => {},
    );
    await ensureProjectFile(projectDir, manager.settings);
    // Plain `pulumi` runs the program in the project folder: sites/<name>.yaml is read from there.
    process.chdir(projectDir);
  }, 600_000);

  afterAll(async () => {
    process.chdir(workingDir);
    await fixture?.dispose();
  });

  /** `pulumi <verb> --stack <stack>` the way the Node.js language host runs Pulumi.yaml's program. */
  const plainPulumi = (stack: string, ...args: string[]) =>
    runEngine({
      binary: fixture.engine.command.command,
      workDir: projectDir,
      stack,
      args,
      program: main,
      env: engineEnv,
    });

  test("plain up after sitestack archive keeps the site archived, with the stored secret", async () => {
    const file = join("sites", "bodega.yaml");
    const loaded = await loadSiteFile(file);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const target = {
      stack: "site-bodega",
      kind: "BoxSite",
      labels: loaded.spec.metadata.labels ?? {},
      file,
      spec: loaded.spec,
    };
    // The secret lives in the shared stack config only: no SITESTACK_SECRET_* anywhere.
    await manager.setSecret("site-bodega", "BODEGA_OIDC_CLIENT_SECRET", secret);
    expect((await manager.up(target)).status).toBe("Running");
    expect((await manager.archive(target)).status).toBe("Archived");

    await plainPulumi("site-bodega", "up", "--yes", "--skip-preview");

    const status = await manager.status("site-bodega");
    expect(status).toMatchObject({
      status: "Archived",
      lifecycle: "archived",
      lastUpdate: { kind: "update", result: "succeeded" },
    });
    const rendered = join(projectDir, ".sitestack", "rendered", "site-bodega", "1-manifest");
    const manifests = readdirSync(rendered);
    const deployment = manifests.find((name) => /deployment/i.test(name));
    expect(deployment, manifests.join(", ")).toBeDefined();
    expect(readFileSync(join(rendered, deployment as string), "utf8")).toMatch(
      /^ {2}replicas: 0$/m,
    );
    for (const name of manifests) {
      expect(readFileSync(join(rendered, name), "utf8")).not.toContain(secret);
    }
    // sitestack restores what the plain run recorded: the same spec, running again.
    expect((await manager.restore(target)).status).toBe("Running");
  }, 600_000);

  test("a stack named after no valid site file fails with the file's problems", async () => {
    await runEngine({
      binary: fixture.engine.command.command,
      workDir: projectDir,
      stack: "site-missing",
      args: ["stack", "init", "--secrets-provider", "passphrase", "--no-select"],
      env: engineEnv,
    });
    await expect(plainPulumi("site-missing", "preview")).rejects.toThrow(/sites\/missing\.yaml/);
  }, 300_000);
});
