import { rm } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { describeTiming, peakTreeRss, time, treeRssBytes } from "./stacks.js";
import { runFleet } from "../stacks/manager/fleet.js";
import { StackManager } from "../stacks/manager/manager.js";
import { StatusView } from "../stacks/manager/status-view.js";
import type { StackTarget } from "../stacks/manager/target.js";
import { siteStackManager } from "../stacks/site-stacks.js";
import { loadSiteFiles, type SiteSpec } from "../stacks/site-model/index.js";
import { startTestEngine, type TestEngine } from "../test/support/engine.js";
import pLimit from "p-limit";
import type { BackendStore } from "../stacks/manager/backend/store.js";
import { S3Store } from "../stacks/manager/backend/s3-store.js";
import {
  fakeBackend,
  fakeBackendOn,
  fakeMetadata,
  type FakeBackend,
} from "../test/stacks/support/diy-backend.js";
import { startS3Server } from "../test/support/s3.js";
import { fileSiteProgram, type FileSiteSpec } from "../test/stacks/support/file-site.js";
import { writeAcmeWithoutCloudflare } from "../test/support/site-files.js";

// Figures are printed, not asserted (speed is measured; tests stay about behaviour): each target
// gets a "met"/"MISSED" line so a run shows at a glance where sitestack stands.
const report: string[] = [];
const verdict = (target: string, met: boolean) => `target ${target}: ${met ? "met" : "MISSED"}`;
let fixture: TestEngine;

beforeAll(async () => {
  fixture = await startTestEngine();
}, 600_000);

afterAll(async () => {
  process.stdout.write(`\nstacks benchmark (one run):\n  ${report.join("\n  ")}\n`);
  await fixture?.dispose();
});

describe("stack manager benchmarks", () => {
  /** Writes 1,000 deployed stacks into a backend and reports list/status cold and warm. */
  async function thousandStacks(
    where: string,
    backend: FakeBackend<BackendStore>,
    cacheFile: string,
  ) {
    const ended = new Date();
    const limit = pLimit(16);
    await Promise.all(
      Array.from({ length: 1_000 }, (_, i) =>
        limit(() =>
          backend.put({
            stack: `site-s${String(i).padStart(4, "0")}`,
            metadata: fakeMetadata("BoxSite", {
              labels: { team: i % 2 === 0 ? "shops" : "blogs" },
            }),
            outputs: { url: `https://s${i}.sites.example.net/` },
            resources: 8,
            updates: [{ kind: "update", result: "succeeded", endTime: ended }],
            ...(i % 10 === 0
              ? { locks: [{ user: "ci", host: "elsewhere", pid: 1, since: ended.toISOString() }] }
              : {}),
          }),
        ),
      ),
    );
    const cold = await time(async () => {
      await rm(cacheFile, { force: true });
      return new StatusView(backend.facts).list();
    });
    const view = new StatusView(backend.facts);
    await view.list();
    const list = await time(() => view.list());
    const status = await time(() => view.status("site-s0500"));
    expect((await view.list()).length).toBe(1_000);
    report.push(
      `${where}: list of 1,000 stacks, cold (no cache: every checkpoint and history read): ${describeTiming(cold)}`,
    );
    report.push(
      `${where}: list of 1,000 stacks, warm (cache checked against a listing of the backend): ${describeTiming(list)}`,
    );
    report.push(`${where}: status of one of 1,000 stacks: ${describeTiming(status)}`);
    report.push(
      verdict(
        `${where}: status/list of 1,000 stacks <= 1 s warm`,
        Math.max(list.medianMs, status.medianMs) <= 1_000,
      ),
    );
  }

  test("status and list of 1,000 stacks in a file:// backend: cold and warm", async () => {
    const cacheFile = join(fixture.dir, "thousand-cache", "status.json");
    await thousandStacks("file:// backend", await fakeBackend(cacheFile), cacheFile);
  }, 600_000);

  test("status and list of 1,000 stacks in a shared S3 backend (SeaweedFS on loopback)", async () => {
    const s3 = await startS3Server();
    try {
      const cacheFile = join(fixture.dir, "thousand-s3-cache", "status.json");
      const store = S3Store.fromUrl(s3.backendUrl, s3.env);
      await thousandStacks("S3 backend", fakeBackendOn(store, cacheFile), cacheFile);
    } finally {
      await s3.stop();
    }
  }, 900_000);

  test("fleet preview of 20 stacks at concurrency 2 vs 1, and peak memory per operation", async () => {
    const projectDir = join(fixture.dir, "fleet");
    const manager = new StackManager<FileSiteSpec>({
      projectDir,
      engine: fixture.engine,
      program: fileSiteProgram,
      env: { PULUMI_CONFIG_PASSPHRASE: fixture.passphrase, SITESTACK_SECRET_BENCH_TOKEN: "bench" },
    });
    const targets: StackTarget<FileSiteSpec>[] = Array.from({ length: 20 }, (_, i) => ({
      stack: `site-f${i}`,
      kind: "FileSite",
      labels: {},
      spec: {
        dir: join(projectDir, "sites", `f${i}`),
        version: "1",
        token: { secret: "BENCH_TOKEN" },
      },
    }));
    const fleet = (concurrency: number) => async () => {
      const rows = await runFleet(targets, (target) => manager.preview(target), { concurrency });
      expect(rows.every((row) => row.result === "succeeded")).toBe(true);
    };
    // Warm-up: creates the 20 stacks and their workspaces, so both timings see existing stacks.
    await fleet(2)();
    const idle = treeRssBytes();
    const started1 = performance.now();
    const c1 = await peakTreeRss(fleet(1));
    const serialMs = performance.now() - started1;
    const started2 = performance.now();
    const c2 = await peakTreeRss(fleet(2));
    const parallelMs = performance.now() - started2;
    const perOperationMb = (c2.peakBytes - idle) / 2 / 2 ** 20;
    report.push(
      `fleet preview, 20 stacks: concurrency 1 ${(serialMs / 1000).toFixed(1)} s, concurrency 2 ${(parallelMs / 1000).toFixed(1)} s, ratio ${(serialMs / parallelMs).toFixed(2)}x (target >= 1.6x; ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)})`,
    );
    report.push(
      `peak memory: process tree ${(c2.peakBytes / 2 ** 20).toFixed(0)} MB at concurrency 2 (idle ${(idle / 2 ** 20).toFixed(0)} MB, concurrency 1 ${(c1.peakBytes / 2 ** 20).toFixed(0)} MB) = ${perOperationMb.toFixed(0)} MB per concurrent operation (target <= 300 MB)`,
    );
    report.push(verdict("fleet preview concurrency 2 vs 1 >= 1.6x", serialMs / parallelMs >= 1.6));
    report.push(verdict("peak memory per concurrent operation <= 300 MB", perOperationMb <= 300));
  }, 1_200_000);

  test("fleet preview of 20 stacks from two machines at once on a shared S3 backend", async () => {
    const s3 = await startS3Server();
    const backend = { url: s3.backendUrl, env: s3.env };
    const machines = [await startTestEngine({ backend }), await startTestEngine({ backend })];
    try {
      const managers = machines.map(
        (machine) =>
          new StackManager<FileSiteSpec>({
            projectDir: join(machine.dir, "project"),
            engine: machine.engine,
            program: fileSiteProgram,
            env: {
              ...s3.env,
              PULUMI_BACKEND_URL: s3.backendUrl,
              PULUMI_CONFIG_PASSPHRASE: "shared-bench-passphrase",
              SITESTACK_SECRET_BENCH_TOKEN: "bench",
            },
          }),
      );
      const targets: StackTarget<FileSiteSpec>[] = Array.from({ length: 20 }, (_, i) => ({
        stack: `site-m${i}`,
        kind: "FileSite",
        labels: {},
        spec: {
          dir: join(fixture.dir, "two-machines", `m${i}`),
          version: "1",
          token: { secret: "BENCH_TOKEN" },
        },
      }));
      const preview = async (manager: StackManager<FileSiteSpec>, items: typeof targets) => {
        const rows = await runFleet(items, (target) => manager.preview(target), { concurrency: 2 });
        expect(rows.every((row) => row.result === "succeeded")).toBe(true);
      };
      const [a, b] = managers as [StackManager<FileSiteSpec>, StackManager<FileSiteSpec>];
      await preview(a, targets.slice(0, 2)); // warm both engines' plugins
      await preview(b, targets.slice(0, 2));
      const startedOne = performance.now();
      await preview(a, targets);
      const oneMachineMs = performance.now() - startedOne;
      const startedTwo = performance.now();
      await Promise.all([preview(a, targets.slice(0, 10)), preview(b, targets.slice(10))]);
      const twoMachinesMs = performance.now() - startedTwo;
      // Previews leave nothing behind in the shared backend.
      expect(await a.list()).toEqual([]);
      report.push(
        `fleet preview of 20 stacks on a shared S3 backend: one machine ${(oneMachineMs / 1000).toFixed(1)} s, two machines at once (10 each) ${(twoMachinesMs / 1000).toFixed(1)} s (both "machines" share these ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)})`,
      );
    } finally {
      for (const machine of machines) await machine.dispose();
      await s3.stop();
    }
  }, 1_200_000);

  test("preview of the example box site vs the empty-program floor (render mode, warm)", async () => {
    const projectDir = join(fixture.dir, "box");
    const file = writeAcmeWithoutCloudflare(projectDir);
    const spec = (await loadSiteFiles([file])).files[0]?.spec as SiteSpec;
    const env = {
      PULUMI_CONFIG_PASSPHRASE: fixture.passphrase,
      SITESTACK_SECRET_ACME_OIDC_CLIENT_SECRET: "bench-oidc",
      SITESTACK_SECRET_THEMES_REDIS_URL: "redis://bench:6379/0",
    };
    const boxManager = siteStackManager({ projectDir, engine: fixture.engine, env });
    const emptyManager = new StackManager<null>({
      projectDir,
      engine: fixture.engine,
      program: () => async () => {},
      env,
    });
    const box = { stack: "site-acme", kind: "BoxSite", labels: {}, spec };
    const empty = { stack: "site-empty", kind: "Empty", labels: {}, spec: null };
    const floor = await time(() => emptyManager.preview(empty), 5);
    const site = await time(() => boxManager.preview(box), 5);
    report.push(`preview, empty program (floor): ${describeTiming(floor)}`);
    report.push(
      `preview, example box site: ${describeTiming(site)}; ratio ${(site.medianMs / floor.medianMs).toFixed(2)}x the floor (target <= 1.3x)`,
    );
    report.push(
      verdict("box site preview <= 1.3x the floor", site.medianMs / floor.medianMs <= 1.3),
    );
  }, 900_000);
});
