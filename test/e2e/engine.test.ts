import { execFile } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EngineMissing } from "../../stacks/errors.js";
import { resolveEngine } from "../../stacks/engine/resolve.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine();
});

afterAll(async () => {
  await engine?.dispose();
});

function onPath(name: string, searchPath: string): string | undefined {
  return searchPath
    .split(delimiter)
    .map((dir) => join(dir, name))
    .find((candidate) => existsSync(candidate));
}

interface ToolManifest {
  readonly tools: {
    name: string;
    wrapper: string;
    module: string;
    version: string;
    moduleVersion?: string;
  }[];
}

async function readManifest(): Promise<ToolManifest> {
  return JSON.parse(
    await readFile(join(repoRoot, "tools", "versions.json"), "utf8"),
  ) as ToolManifest;
}

describe("tool manifest", () => {
  test("pins every tool's module in its wrapper go.mod at the manifest's version", async () => {
    const manifest = await readManifest();
    const mismatches: string[] = [];
    for (const tool of manifest.tools) {
      const goMod = await readFile(join(repoRoot, "tools", "go", tool.wrapper, "go.mod"), "utf8");
      const pinned = new RegExp(
        `^\\s*(require\\s+)?${tool.module.replaceAll(".", "\\.")} (\\S+)`,
        "m",
      ).exec(goMod)?.[2];
      const expected = tool.moduleVersion ?? `v${tool.version}`;
      if (pinned !== expected)
        mismatches.push(`${tool.name}: go.mod ${pinned}, manifest ${expected}`);
    }
    expect(mismatches).toEqual([]);
  });

  test("builds the engine the installed @pulumi/pulumi expects", async () => {
    const manifest = await readManifest();
    const sdk = JSON.parse(
      await readFile(join(repoRoot, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8"),
    ) as { version: string };
    expect(manifest.tools.find((tool) => tool.name === "pulumi")?.version).toBe(sdk.version);
  });
});

describe("engine resolution", () => {
  test("uses the cached Go build, stamped with the @pulumi/pulumi version", async () => {
    const resolved = await resolveEngine({ sources: ["cache"] });
    expect(resolved.source).toBe("cache");
    expect(resolved.version).toBe(resolved.sdkVersion);
    expect(resolved.command.command).toMatch(/engine-roots\/[0-9a-f]{12}\/bin\/pulumi$/);
  });

  test("keeps a built engine quiet and offline", async () => {
    const resolved = await resolveEngine({ sources: ["cache"], pulumiHome: "/tmp/home" });
    expect(resolved.env).toMatchObject({
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_HOME: "/tmp/home",
    });
    expect(resolved.env.PATH?.split(delimiter)[0]).toBe(dirname(process.execPath));
    expect(existsSync(join(resolved.env.NODE_PATH ?? "", "@pulumi", "pulumi"))).toBe(true);
  });

  test("places the dynamic-provider shim beside the real CLI binary, where the engine expects it", async () => {
    const resolved = await resolveEngine({ sources: ["cache"] });
    const shim = "pulumi-resource-pulumi-nodejs";
    expect(existsSync(join(dirname(realpathSync(resolved.command.command)), shim))).toBe(true);
    // A second copy on the engine's PATH would make it warn "using … from $PATH".
    expect(existsSync(join(dirname(resolved.command.command), shim))).toBe(false);
  });

  test("reports a configured binary that does not exist and moves on", async () => {
    const resolved = await resolveEngine({
      sources: ["configured", "cache"],
      configured: "/nonexistent/pulumi",
    });
    expect(resolved.source).toBe("cache");
    expect(resolved.skipped).toEqual([
      { source: "configured", reason: "SITESTACK_PULUMI=/nonexistent/pulumi does not exist" },
    ]);
  });

  test("throws EngineMissing naming every source it tried", async () => {
    const attempt = resolveEngine({ sources: ["configured"], configured: "/nonexistent/pulumi" });
    await expect(attempt).rejects.toBeInstanceOf(EngineMissing);
    await expect(attempt).rejects.toThrow(
      "the Pulumi engine is missing: configured: SITESTACK_PULUMI=/nonexistent/pulumi does not exist",
    );
  });
});

describe("engine without the Node.js language host", { timeout: 180_000 }, () => {
  test("has no pulumi-language-nodejs anywhere it could look", () => {
    const searchPath = [dirname(engine.engine.command.command), engine.envVars.PATH].join(
      delimiter,
    );
    expect(onPath("pulumi-language-nodejs", searchPath)).toBeUndefined();
  });

  test("still previews an inline program (the SDK serves the program itself)", async () => {
    const stack = await engine.inlineStack("sitestack-langhost", "inline", async () => ({
      answer: 42,
    }));
    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ create: 1 });
  });

  test("cannot run a Pulumi.yaml program: plain `pulumi preview` needs the language host", async () => {
    const project = join(engine.dir, "plain-project");
    await mkdir(project, { recursive: true });
    await writeFile(join(project, "Pulumi.yaml"), "name: plain\nruntime: nodejs\n");
    await writeFile(join(project, "index.js"), "exports.answer = 42;\n");
    const options = { cwd: project, env: { ...process.env, ...engine.envVars } };
    await run(
      engine.engine.command.command,
      ["stack", "init", "dev", "--non-interactive"],
      options,
    );
    const preview = run(
      engine.engine.command.command,
      ["preview", "--stack", "dev", "--non-interactive"],
      options,
    );
    await expect(preview).rejects.toMatchObject({
      stderr:
        "error: failed to load language plugin nodejs: no language plugin " +
        "'pulumi-language-nodejs' found in the workspace or on your $PATH\n",
    });
  });
});
