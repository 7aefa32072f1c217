import { readdirSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { StackManager } from "../../stacks/manager/manager.js";
import type { ProgramFactory, StackTarget } from "../../stacks/manager/target.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";
import { fileSiteProgram, type FileSiteSpec } from "../stacks/support/file-site.js";

// Values that must never appear in any process's arguments or (other than ours) environment, nor
// in any message sitestack writes.
const envSecret = "env-secret-value-4c1f9a";
const storedSecret = "stored-secret-value-83d2e7";

/** What one look at /proc found: processes whose command line or environment held a value. */
interface Sighting {
  readonly pid: number;
  readonly where: "cmdline" | "environ";
  readonly command: string;
}

/**
 * Reads every process's command line and environment every few milliseconds while `work` runs,
 * and reports each one that holds one of `values`. Our own process is skipped (it holds the values
 * in memory by design); its children — the engine, its plugins, the dynamic provider — are not.
 */
async function watchProcesses<T>(
  values: readonly string[],
  work: () => Promise<T>,
): Promise<{ result: T; sightings: Sighting[]; looks: number; seen: Set<string> }> {
  const sightings: Sighting[] = [];
  const seen = new Set<string>();
  let looks = 0;
  let done = false;
  const look = () => {
    for (const name of readdirSync("/proc")) {
      if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
      for (const where of ["cmdline", "environ"] as const) {
        let text: string;
        try {
          text = readFileSync(`/proc/${name}/${where}`, "latin1");
        } catch {
          continue; // gone meanwhile
        }
        if (where === "cmdline") seen.add(text.split("\0")[0] ?? "");
        if (values.some((value) => text.includes(value))) {
          sightings.push({
            pid: Number(name),
            where,
            command: text.split("\0").slice(0, 3).join(" "),
          });
        }
      }
    }
    looks += 1;
  };
  const watcher = (async () => {
    while (!done) {
      look();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  try {
    const result = await work();
    return { result, sightings, looks, seen };
  } finally {
    done = true;
    await watcher;
  }
}

let fixture: TestEngine;
let manager: StackManager<FileSiteSpec & { readonly leak?: boolean }>;
let projectDir: string;

const failingWhenAsked: ProgramFactory<FileSiteSpec & { readonly leak?: boolean }> = (
  spec,
  context,
) =>
  spec.leak === true
    ? async () => {
        // A program (or provider) that puts a secret value into its error text.
        await new Promise<void>((resolve, reject) =>
          context
            .secret("ENV_TOKEN")
            .apply((value) => reject(new Error(`cannot use token ${value}`)))
            .apply(resolve),
        );
      }
    : fileSiteProgram(spec, context);

function target(leak = false): StackTarget<FileSiteSpec & { readonly leak?: boolean }> {
  return {
    stack: "site-secrets",
    kind: "FileSite",
    labels: {},
    spec: { dir: join(projectDir, "site"), version: "1", token: { secret: "ENV_TOKEN" }, leak },
  };
}

beforeAll(async () => {
  fixture = await startTestEngine();
  projectDir = join(fixture.dir, "project");
  await mkdir(projectDir, { recursive: true });
  manager = new StackManager({
    projectDir,
    engine: fixture.engine,
    program: failingWhenAsked,
    env: { PULUMI_CONFIG_PASSPHRASE: fixture.passphrase, SITESTACK_SECRET_ENV_TOKEN: envSecret },
  });
}, 600_000);

afterAll(async () => {
  await fixture?.dispose();
});

describe("secret values never reach another process or a message", () => {
  test("secret set, up, preview and a failing up: no child's arguments or environment holds a value", async () => {
    const messages: string[] = [];
    const { sightings, looks, seen } = await watchProcesses([envSecret, storedSecret], async () => {
      await manager.setSecret("site-secrets", "STORED_TOKEN", storedSecret);
      await manager.up(target(), { onEvent: (event) => messages.push(JSON.stringify(event)) });
      await manager.preview(target(), { onEvent: (event) => messages.push(JSON.stringify(event)) });
      const failure = await manager
        .up(target(true), { onEvent: (event) => messages.push(JSON.stringify(event)) })
        .catch((error: Error) => error);
      messages.push((failure as Error).message);
    });
    // The watcher really saw the engine and its plugins run.
    expect(looks).toBeGreaterThan(100);
    expect([...seen].some((command) => command.endsWith("/pulumi"))).toBe(true);
    expect(sightings).toEqual([]);
    expect(messages.length).toBeGreaterThan(10);
    expect(
      messages.filter((text) => text.includes(envSecret) || text.includes(storedSecret)),
    ).toEqual([]);
    // The failing run's error names the problem with the value masked.
    expect(messages.at(-1)).toMatch(/^up of site-secrets failed: .*cannot use token \[secret\]/);
  }, 600_000);

  test("the stored secret is in the shared config file, encrypted only", () => {
    const config = readFileSync(
      join(manager.settings.configDir, "Pulumi.site-secrets.yaml"),
      "utf8",
    );
    expect(config).toMatch(/sitestack:secrets\.STORED_TOKEN:\n\s+secure: v1:/);
    expect(config).not.toContain(storedSecret);
    expect(config).not.toContain(envSecret);
  });
});
