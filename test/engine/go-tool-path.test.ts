import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, test } from "vitest";
import { buildScriptPath, goToolPath, goToolVersion } from "../../tools/go-tool.js";

const run = promisify(execFile);
const saved = process.env.SITESTACK_CACHE_DIR;

afterEach(() => {
  if (saved === undefined) delete process.env.SITESTACK_CACHE_DIR;
  else process.env.SITESTACK_CACHE_DIR = saved;
});

async function scriptPath(name: string, cacheDir: string): Promise<string> {
  const { stdout } = await run(buildScriptPath(), ["--path", name], {
    env: { ...process.env, SITESTACK_CACHE_DIR: cacheDir },
  });
  return stdout.trim();
}

describe("where a Go tool's binary is found", () => {
  test("a cached build is found in-process at the path the build script gives", async () => {
    const cache = await mkdtemp(join(tmpdir(), "go-tool-path-"));
    try {
      const version = await goToolVersion("helm");
      const binary = join(cache, "bin", `helm-${version}`, "helm");
      await mkdir(join(binary, ".."), { recursive: true });
      await writeFile(binary, "#!/bin/sh\n");
      await chmod(binary, 0o755);
      process.env.SITESTACK_CACHE_DIR = cache;
      expect(await goToolPath("helm", { build: false })).toBe(binary);
      expect(await scriptPath("helm", cache)).toBe(binary);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });

  test("without a cached build the script answers (here: where it would build)", async () => {
    const cache = await mkdtemp(join(tmpdir(), "go-tool-path-"));
    try {
      process.env.SITESTACK_CACHE_DIR = cache;
      const expected = join(cache, "bin", `helm-${await goToolVersion("helm")}`, "helm");
      expect(await goToolPath("helm", { build: false })).toBe(expected);
      expect(await scriptPath("helm", cache)).toBe(expected);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });
});
