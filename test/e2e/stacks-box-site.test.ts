import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { writeAcmeWithoutCloudflare } from "../support/site-files.js";
import type { StackManager } from "../../stacks/manager/manager.js";
import { siteStackManager } from "../../stacks/site-stacks.js";
import type { StackTarget } from "../../stacks/manager/target.js";
import { loadSiteFiles } from "../../stacks/site-model/load.js";
import type { SiteSpec } from "../../stacks/site-model/site.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";

const oidcSecret = "box-oidc-secret-5be1";
const redisUrl = "redis://:box-redis-pass-77c0@redis.internal:6379/0";

let fixture: TestEngine;
let manager: StackManager<SiteSpec>;
let target: StackTarget<SiteSpec>;
let renderDir: string;

/** Every rendered file and its text, by path relative to the stack's render folder. */
async function rendered(dir = renderDir): Promise<Record<string, string>> {
  if (!existsSync(dir)) return {};
  const files: Record<string, string> = {};
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name);
    if ((await stat(path)).isFile()) files[name] = await readFile(path, "utf8");
  }
  return files;
}

/**
 * The rendered objects with Pulumi's random autoname suffixes blanked: the PodDisruptionBudget is
 * removed while archived (nothing to disrupt) and comes back under a new suffix.
 */
function withoutAutonameSuffixes(files: Record<string, string>): Record<string, string> {
  const blank = (text: string) => text.replace(/(acme-pdb)-[0-9a-f]{8}/g, "$1-*");
  return Object.fromEntries(
    Object.entries(files).map(([name, text]) => [blank(name), blank(text)]),
  );
}

function deploymentReplicas(files: Record<string, string>): number[] {
  return Object.values(files)
    .filter((text) => /^kind: Deployment$/m.test(text))
    .map((text) => Number(/^ {2}replicas: (\d+)$/m.exec(text)?.[1] ?? "NaN"));
}

beforeAll(async () => {
  fixture = await startTestEngine();
  const projectDir = join(fixture.dir, "project");
  const file = writeAcmeWithoutCloudflare(projectDir);
  const loaded = await loadSiteFiles([file]);
  expect(loaded.problems).toEqual([]);
  const spec = loaded.files[0]?.spec as SiteSpec;
  target = { stack: "site-acme", kind: spec.kind, labels: spec.metadata.labels, file, spec };
  renderDir = join(projectDir, ".sitestack", "rendered", "site-acme");
  // The CLI's defaults: render mode into .sitestack/rendered/<stack>/.
  manager = siteStackManager({
    projectDir,
    engine: fixture.engine,
    env: {
      PULUMI_CONFIG_PASSPHRASE: fixture.passphrase,
      SITESTACK_SECRET_ACME_OIDC_CLIENT_SECRET: oidcSecret,
      SITESTACK_SECRET_THEMES_REDIS_URL: redisUrl,
    },
  });
}, 600_000);

afterAll(async () => {
  await fixture?.dispose();
});

describe(
  "the example box site through the stack manager, render mode",
  { timeout: 300_000 },
  () => {
    let beforeArchive: Record<string, string>;

    test("up renders the site's objects and records Running", async () => {
      const outcome = await manager.up(target);
      expect(outcome.status).toBe("Running");
      const files = await rendered();
      expect(Object.keys(files).length).toBeGreaterThan(3);
      expect(deploymentReplicas(files)).toEqual([2]);
      beforeArchive = files;
    });

    test("refresh keeps it Running with no change to the rendered objects", async () => {
      expect((await manager.refresh(target)).status).toBe("Running");
      expect(await rendered()).toEqual(beforeArchive);
    });

    test("archive scales the workload to zero and keeps everything else", async () => {
      expect((await manager.archive(target)).status).toBe("Archived");
      const files = await rendered();
      expect(deploymentReplicas(files)).toEqual([0]);
      const kept = Object.keys(beforeArchive).filter(
        (name) => !name.includes("poddisruptionbudget"),
      );
      expect(Object.keys(files).sort()).toEqual(kept.sort());
    });

    test("restore gives back the same objects as before the archive", async () => {
      expect((await manager.restore(target)).status).toBe("Running");
      expect(withoutAutonameSuffixes(await rendered())).toEqual(
        withoutAutonameSuffixes(beforeArchive),
      );
    });

    test("no rendered file, state file, config or registry record holds a secret value", async () => {
      const texts = [
        ...Object.values(await rendered()),
        ...Object.values(await rendered(join(fixture.dir, "state"))),
        ...Object.values(await rendered(join(fixture.dir, "project", ".sitestack"))),
      ].join("\n");
      for (const secret of [oidcSecret, redisUrl, Buffer.from(oidcSecret).toString("base64")]) {
        expect(texts).not.toContain(secret);
      }
    });

    test("cleanup removes every rendered object and the stack", async () => {
      await manager.cleanup(target);
      expect(await rendered()).toEqual({});
      expect(await manager.list()).toEqual([]);
    });
  },
);
