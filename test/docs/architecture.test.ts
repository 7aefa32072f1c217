import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const text = readFileSync(join(root, "docs", "architecture.md"), "utf8");

/**
 * Every repository path the page names: in backquotes or bare, a name with a slash under one of the
 * repository's top folders (`stacks/…`, `components/…`, `sites/…`, `docs/…`, …) or a top-level file.
 */
function pathsIn(markdown: string): string[] {
  const top = "(?:stacks|components|sites|docs|charts|test|schema|tools|bench|bin)";
  const mentioned =
    markdown.match(new RegExp(`\\b${top}/[A-Za-z0-9_./-]*[A-Za-z0-9_/]`, "g")) ?? [];
  const files = markdown.match(/`((?:Pulumi|sitestack)\.yaml|package\.json)`/g) ?? [];
  return [...new Set([...mentioned, ...files.map((file) => file.slice(1, -1))])];
}

describe("docs/architecture.md", () => {
  test("names only files and folders that exist", () => {
    const paths = pathsIn(text);
    expect(paths.length).toBeGreaterThan(30);
    expect(paths.filter((path) => !existsSync(join(root, path)))).toEqual([]);
  });

  test("would notice a path that does not exist", () => {
    expect(pathsIn("see `stacks/spec/index.ts` and components/nope/")).toEqual([
      "stacks/spec/index.ts",
      "components/nope/",
    ]);
  });
});
