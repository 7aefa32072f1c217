import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCliCaptured } from "../support/run-cli.js";
import { createPrRepo, type PrRepo } from "./support/pr-repo.js";

let repo: PrRepo;
let scratch: string;
const saved = process.cwd();
beforeAll(() => {
  repo = createPrRepo();
  scratch = mkdtempSync(join(tmpdir(), "sitestack-changes-"));
  process.chdir(repo.dir);
});
afterAll(() => {
  process.chdir(saved);
  repo?.remove();
  rmSync(scratch, { recursive: true, force: true });
});

describe("sitestack ci changes", () => {
  test("prints the changes with the CI matrix and writes the step outputs", async () => {
    const output = join(scratch, "github-output");
    const result = await runCliCaptured(["ci", "changes", "--base", "main"], {
      GITHUB_OUTPUT: output,
    });
    expect(result.code).toBe(0);
    const include = [
      { site: "blog", stack: "site-blog", change: "deleted" },
      { site: "bodega", stack: "site-bodega", change: "changed" },
      { site: "chefcito", stack: "site-chefcito", change: "added" },
      { site: "fiufit", stack: "site-fiufit", change: "renamed" },
      { site: "pr-42", stack: "staging-pr-42", change: "changed" },
    ];
    const printed = JSON.parse(result.stdout) as { matrix: unknown; count: number };
    expect(printed.matrix).toEqual({ include });
    expect(printed.count).toBe(5);
    expect(readFileSync(output, "utf8")).toBe(`matrix=${JSON.stringify({ include })}\ncount=5\n`);
  });

  test("a base that names no commit is exit 2 with what to do", async () => {
    const result = await runCliCaptured(["ci", "changes", "--base", "origin/nope"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("names no commit in this repository; fetch it first");
  });
});
