import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { StackNotFound } from "../../stacks/errors.js";
import { StackManager } from "../../stacks/manager/manager.js";
import { openStatusView } from "../../stacks/manager/open-status.js";
import type { StackTarget } from "../../stacks/manager/target.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";
import { fileSiteProgram, type FileSiteSpec } from "../stacks/support/file-site.js";

// Backends whose objects sitestack does not read (Azure Blob, GCS, PostgreSQL, Pulumi Cloud) get
// their facts through the engine's own commands. Forced here on a file:// backend, so both ways of
// reading the same state can be compared.

let fixture: TestEngine;
let projectDir: string;
let viaEngine: StackManager<FileSiteSpec>;

const target = (version: string): StackTarget<FileSiteSpec> => ({
  stack: "site-engine",
  kind: "FileSite",
  labels: { team: "qa" },
  spec: { dir: join(fixture.dir, "site"), version, token: { secret: "ENGINE_TOKEN" } },
});

beforeAll(async () => {
  fixture = await startTestEngine();
  projectDir = join(fixture.dir, "project");
  await mkdir(projectDir, { recursive: true });
  viaEngine = new StackManager<FileSiteSpec>({
    projectDir,
    engine: fixture.engine,
    program: fileSiteProgram,
    readBackend: "engine",
    env: { PULUMI_CONFIG_PASSPHRASE: fixture.passphrase, SITESTACK_SECRET_ENGINE_TOKEN: "t0k3n-e" },
  });
}, 600_000);

afterAll(async () => {
  await fixture?.dispose();
});

describe("stack facts through the engine, for backends sitestack cannot read directly", () => {
  test("status, list and history agree with the direct reading of the same backend", async () => {
    await expect(viaEngine.status("site-engine")).rejects.toBeInstanceOf(StackNotFound);
    expect((await viaEngine.up(target("1"))).status).toBe("Running");
    expect((await viaEngine.archive(target("1"))).status).toBe("Archived");
    const direct = (await openStatusView(viaEngine.settings, projectDir, {}))!;
    const [engineReport] = await viaEngine.list();
    const directReport = await direct.status("site-engine");
    expect(engineReport).toMatchObject({
      stack: "site-engine",
      kind: "FileSite",
      labels: { team: "qa" },
      status: "Archived",
      lifecycle: "archived",
      outputs: directReport.outputs,
    });
    expect(directReport.status).toBe("Archived");
    const history = await viaEngine.history("site-engine");
    expect(history.map((entry) => [entry.version, entry.kind, entry.result])).toEqual([
      [2, "update", "succeeded"],
      [1, "update", "succeeded"],
    ]);
    await viaEngine.destroy(target("1"));
    await expect(viaEngine.status("site-engine")).rejects.toBeInstanceOf(StackNotFound);
    expect(await viaEngine.list()).toEqual([]);
  }, 600_000);
});
