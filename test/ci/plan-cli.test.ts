/** `sitestack ci plan` through the CLI, where no engine is needed: options, refs, exit codes. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { planMarker } from "../../stacks/ci/render-plan.js";
import { startGitHubApi } from "../support/github-api.js";
import { runCliCaptured } from "../support/run-cli.js";
import { createPrRepo, type PrRepo } from "./support/pr-repo.js";

let repo: PrRepo;
let cwd: string;
beforeAll(() => {
  repo = createPrRepo();
  cwd = process.cwd();
  process.chdir(repo.dir);
});
afterAll(() => {
  process.chdir(cwd);
  repo.remove();
});

describe("sitestack ci plan (command line)", () => {
  test("an unknown base ref is exit 2 with what to do, before any engine starts", async () => {
    const result = await runCliCaptured(["ci", "plan", "--base", "origin/gone"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: --base "origin/gone": names no commit in this repository; fetch it first (actions/checkout with fetch-depth: 0, or `git fetch origin origin/gone`)\n',
    );
  });

  test("--json gives the error as one JSON object", async () => {
    const result = await runCliCaptured(["ci", "plan", "--base", "origin/gone", "--json"]);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ type: "error", error: "ValidationFailed" });
  });

  test("a head that is not checked out is refused: previews run on the files on disk", async () => {
    const result = await runCliCaptured(["ci", "plan", "--base", "main", "--head", "main"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--head "main": is not the checked-out commit');
  });

  test("--base is required and --concurrency must be a whole number", async () => {
    expect((await runCliCaptured(["ci", "plan"])).stderr).toContain(
      "required option '--base <ref>' not specified",
    );
    const bad = await runCliCaptured(["ci", "plan", "--base", "main", "--concurrency", "0"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("--concurrency must be a whole number from 1 to 64");
  });

  test("ci --help lists plan", async () => {
    const result = await runCliCaptured(["ci", "--help"]);
    expect(result.stdout).toMatch(/plan \[options\]\s+validate every site file and preview/);
  });

  test("--comment creates the PR's plan comment once, then edits it in place (loopback GitHub API)", async () => {
    const api = await startGitHubApi();
    try {
      const env = {
        GITHUB_TOKEN: "ghs_fake-token-for-the-loopback-api",
        GITHUB_REPOSITORY: "acme/sites",
        GITHUB_API_URL: api.url,
      };
      // Against itself the PR changes nothing: no preview, so no engine.
      const args = ["ci", "plan", "--base", "pr", "--comment", "--pr", "7", "--out", "plan-out"];
      const first = await runCliCaptured(args, env);
      expect(first.stderr).toContain("created the plan comment");
      expect(first.code).toBe(0);
      const second = await runCliCaptured(args, env);
      expect(second.stderr).toContain("updated the plan comment");
      expect(api.comments).toHaveLength(1);
      expect(api.comments[0]!.issue).toBe(7);
      expect(api.comments[0]!.body).toBe(
        readFileSync(join(repo.dir, "plan-out", "summary.md"), "utf8"),
      );
      expect(api.comments[0]!.body.startsWith(`${planMarker}\n`)).toBe(true);
      for (const text of [first.stdout, first.stderr, second.stdout, second.stderr]) {
        expect(text).not.toContain(env.GITHUB_TOKEN);
      }
    } finally {
      await api.close();
    }
  });
});
