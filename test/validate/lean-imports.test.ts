import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, test } from "vitest";

// Static imports only (`import … from "x"`, `export … from "x"`), not `import("x")`: what a module
// loads just by being imported. Type-only imports are erased by the compiler and skipped.
const staticImport = /^(?:import|export)\s+(?!type\b)[^;]*?\sfrom\s+"([^"]+)";/gms;

/** Every package a module pulls in statically, following the project's own modules. */
function staticPackagesOf(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, "utf8").matchAll(staticImport)) {
      if (!specifier!.startsWith(".")) {
        packages.add(specifier!);
        continue;
      }
      const target = resolve(dirname(file), specifier!.replace(/\.js$/, ".ts"));
      if (existsSync(target)) visit(target);
    }
  };
  visit(resolve(entry));
  return packages;
}

describe("the CLI start-up and validate path", () => {
  test.each(["stacks/cli/main.ts", "stacks/validate/command.ts", "stacks/site-model/index.ts"])(
    "%s loads no Pulumi package",
    (entry) => {
      const pulumi = [...staticPackagesOf(join(entry))].filter((name) =>
        name.startsWith("@pulumi/"),
      );
      expect(pulumi).toEqual([]);
    },
  );

  test("the import scan finds packages at all", () => {
    expect([...staticPackagesOf("stacks/site-model/index.ts")]).toContain("zod");
  });
});
