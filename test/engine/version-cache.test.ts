import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { pulumiCommandAt } from "../../stacks/engine/version-cache.js";

/** A fake `pulumi` that reports a version and counts how often it was run. */
function fakeCli(version: string): { root: string; runs: () => number } {
  const root = mkdtempSync(join(tmpdir(), "sitestack-fake-pulumi-"));
  mkdirSync(join(root, "bin"));
  const counter = join(root, "runs");
  const script = join(root, "bin", "pulumi");
  writeFileSync(script, `#!/bin/sh\necho x >> "${counter}"\necho v${version}\n`);
  chmodSync(script, 0o755);
  return {
    root,
    runs: () => (existsSync(counter) ? readFileSync(counter, "utf8").split("\n").length - 1 : 0),
  };
}

describe("the engine's version is read once per binary", () => {
  test("a second process start asks the cache, not the binary", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "sitestack-version-cache-"));
    const cli = fakeCli("3.259.0");
    expect((await pulumiCommandAt(cli.root, cacheDir)).version?.version).toBe("3.259.0");
    expect(cli.runs()).toBe(1);
    const again = await pulumiCommandAt(cli.root, cacheDir);
    expect(again.version?.version).toBe("3.259.0");
    expect(again.command).toBe(join(cli.root, "bin", "pulumi"));
    expect(cli.runs()).toBe(1);
  });

  test("a replaced binary is asked again", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "sitestack-version-cache-"));
    const cli = fakeCli("3.259.0");
    await pulumiCommandAt(cli.root, cacheDir);
    writeFileSync(
      join(cli.root, "bin", "pulumi"),
      `#!/bin/sh\necho x >> "${join(cli.root, "runs")}"\necho v3.274.1\n`,
    );
    expect((await pulumiCommandAt(cli.root, cacheDir)).version?.version).toBe("3.274.1");
    expect(cli.runs()).toBe(2);
  });
});
