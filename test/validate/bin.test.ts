import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, test } from "vitest";

// The executable as users run it: bin/sitestack.js → dist/ (built by `npm install`'s prepare
// script or `npm run build`), with the CLI's start-up measures (compile cache, zod without its
// locale modules) switched on — which in-process tests of runCli do not exercise.
function sitestack(...args: string[]) {
  if (!existsSync("dist/stacks/cli/main.js")) {
    throw new Error("dist/ is missing: run `npm run build` before this test");
  }
  return spawnSync(process.execPath, ["bin/sitestack.js", ...args], {
    encoding: "utf8",
    env: { ...process.env, GITHUB_ACTIONS: "" },
  });
}

describe("bin/sitestack.js", () => {
  test("validates the example sites and exits 0", () => {
    const run = sitestack("validate");
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 0,
      stdout: "",
      stderr: "6 site files valid\n",
    });
  });

  test("reports a bad file with zod's checks intact and exits 2", () => {
    const run = sitestack("validate", "--json", "test/validate/fixtures/bad-box.yaml");
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout).problems).toEqual([
      {
        file: "test/validate/fixtures/bad-box.yaml",
        line: 7,
        col: 11,
        path: "spec.domain",
        message: 'must be the naked domain "acme.com", got "www.acme.com"',
      },
      {
        file: "test/validate/fixtures/bad-box.yaml",
        line: 8,
        col: 14,
        path: "spec.techEmail",
        message: 'must be an e-mail address like "tech@acme.com", got "tech-at-acme.com"',
      },
    ]);
  });
});
