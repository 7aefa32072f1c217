/**
 * `sitestack ci plan` on a repository of 200 site files (generated box sites, render mode): with 1
 * changed, its wall time against what a pipeline would run without it (`validate` of every file and
 * one `preview`), measured in the same run; with 10 changed, at the default concurrency.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { median } from "./engine-floor.js";
import { describeTiming, time } from "./stacks.js";
import { defaultPlanConcurrency, runCiPlan } from "../stacks/ci/plan.js";
import type { CliIo } from "../stacks/io.js";
import { readPlatformFile } from "../stacks/platform/file.js";
import { siteStackManager } from "../stacks/site-stacks.js";
import { siteTarget } from "../stacks/site-target.js";
import { collectSiteFiles, loadSiteFiles } from "../stacks/site-model/index.js";
import { startTestEngine, type TestEngine } from "../test/support/engine.js";
import { git } from "../test/ci/support/pr-repo.js";

const report: string[] = [];
const verdict = (target: string, met: boolean) => `target ${target}: ${met ? "met" : "MISSED"}`;
const siteCount = 200;
let fixture: TestEngine;
let projectDir: string;
let env: Record<string, string>;

/** A valid box site of its own code, id and domain; `replicas` is what the PR branches change. */
function boxSite(index: number, replicas = 1): string {
  const code = `shop${String(index).padStart(3, "0")}`;
  return `apiVersion: sitestack/v1
kind: BoxSite
metadata:
  name: ${code}
  labels: { team: shops }
spec:
  siteId: ${5000 + index}
  code: ${code}
  domain: ${code}.pe
  techEmail: tech@${code}.pe
  oidc:
    clientId: ${code}-box-interactive
    clientSecret: { secret: SHOP_OIDC_CLIENT_SECRET }
  image:
    repository: ghcr.io/juntoz/jzbox
  themes:
    source: https://sitecentral.juntoz.com/api/sites/${5000 + index}/themes
    interval: 5m
  replicas: ${replicas}
`;
}

const silent: Omit<CliIo, "env"> = { stdout: () => undefined, stderr: () => undefined };

beforeAll(async () => {
  fixture = await startTestEngine();
  projectDir = join(fixture.dir, "project");
  mkdirSync(join(projectDir, "sites"), { recursive: true });
  git(projectDir, "init", "--quiet", "--initial-branch=main");
  for (let index = 0; index < siteCount; index += 1) {
    writeFileSync(
      join(projectDir, "sites", `shop${String(index).padStart(3, "0")}.yaml`),
      boxSite(index),
    );
  }
  writeFileSync(join(projectDir, ".gitignore"), ".sitestack/\nPulumi.yaml\nconfig/\n");
  git(projectDir, "add", "-A");
  git(projectDir, "commit", "--quiet", "-m", "200 sites");
  // Two PR branches: one changes a site, the other ten.
  for (const [branch, changed] of [
    ["one", 1],
    ["ten", 10],
  ] as const) {
    git(projectDir, "checkout", "--quiet", "-b", branch, "main");
    for (let index = 0; index < changed; index += 1) {
      writeFileSync(
        join(projectDir, "sites", `shop${String(index * 7).padStart(3, "0")}.yaml`),
        boxSite(index * 7, 2),
      );
    }
    git(projectDir, "commit", "--quiet", "-am", `${changed} changed`);
  }
  env = {
    PULUMI_CONFIG_PASSPHRASE: fixture.passphrase,
    SITESTACK_SECRET_SHOP_OIDC_CLIENT_SECRET: "bench-oidc",
  };
}, 600_000);

afterAll(async () => {
  process.stdout.write(
    `\nci plan benchmark (one run; ${cpus().length} cores):\n  ${report.join("\n  ")}\n`,
  );
  await fixture?.dispose();
});

describe("ci plan benchmarks", () => {
  test("200 site files, 1 changed: ci plan vs validate of all + one preview", async () => {
    git(projectDir, "checkout", "--quiet", "one");
    const manager = siteStackManager({ projectDir, engine: fixture.engine, env });
    const plan = () =>
      runCiPlan(
        { base: "main", projectDir, out: join(fixture.dir, "out-one") },
        { ...silent, env },
        { manager },
      );
    const changed = (await loadSiteFiles([join(projectDir, "sites", "shop000.yaml")])).files[0]!
      .spec!;
    const target = siteTarget(changed, "sites/shop000.yaml");
    const validateAndPreview = async () => {
      const platform = readPlatformFile(projectDir, env);
      const loaded = await loadSiteFiles(collectSiteFiles([join(projectDir, "sites")]), {
        clusters: platform.ok ? Object.keys(platform.settings.clusters ?? {}) : [],
      });
      expect(loaded.valid).toBe(true);
      await manager.preview(target);
    };
    expect(await plan()).toBe(0);
    // Interleaved, so a slower minute of the shared machine hurts both sides alike.
    const planSamples: number[] = [];
    const baseSamples: number[] = [];
    await validateAndPreview();
    for (let run = 0; run < 3; run += 1) {
      baseSamples.push(await elapsed(validateAndPreview));
      planSamples.push(await elapsed(plan));
    }
    const planMs = median(planSamples);
    const baseMs = median(baseSamples);
    const validateOnly = await time(async () => {
      await loadSiteFiles(collectSiteFiles([join(projectDir, "sites")]));
    });
    report.push(`validate of ${siteCount} files alone: ${describeTiming(validateOnly)}`);
    report.push(`validate of ${siteCount} files + one preview: ${describeSamples(baseSamples)}`);
    report.push(`ci plan, ${siteCount} files, 1 changed: ${describeSamples(planSamples)}`);
    report.push(
      `ratio ${(planMs / baseMs).toFixed(2)}x (target <= 1.2x; load average ${loadavg()[0]?.toFixed(1)})`,
    );
    report.push(
      verdict("ci plan 1 changed <= 1.2x validate + one preview", planMs / baseMs <= 1.2),
    );
  }, 900_000);

  test("200 site files, 10 changed, default concurrency", async () => {
    git(projectDir, "checkout", "--quiet", "ten");
    const manager = siteStackManager({ projectDir, engine: fixture.engine, env });
    const one = (await loadSiteFiles([join(projectDir, "sites", "shop007.yaml")])).files[0]!.spec!;
    const preview = await time(() => manager.preview(siteTarget(one, "sites/shop007.yaml")), 2);
    const plan = await time(
      () =>
        runCiPlan(
          { base: "main", projectDir, out: join(fixture.dir, "out-ten") },
          { ...silent, env },
          { manager },
        ),
      1,
    );
    report.push(`one preview (warm): ${describeTiming(preview)}`);
    report.push(
      `ci plan, ${siteCount} files, 10 changed, concurrency ${defaultPlanConcurrency}: ${describeTiming(plan)}; ${(plan.medianMs / 10 / 1000).toFixed(2)} s per changed site; ${(plan.medianMs / preview.medianMs).toFixed(2)}x one preview (10 previews serially would be 10x)`,
    );
  }, 900_000);
});

async function elapsed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function describeSamples(samples: readonly number[]): string {
  return `${median(samples).toFixed(0)} ms (samples ${samples.map((s) => s.toFixed(0)).join(", ")})`;
}
