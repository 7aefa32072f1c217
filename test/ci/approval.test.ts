import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { approvalsInMessage, destroyApprovals } from "../../stacks/ci/approval.js";
import { git } from "./support/pr-repo.js";

describe("approvalsInMessage", () => {
  test.each([
    ["a trailer", "Remove blog\n\nSitestack-Destroy: blog\n", ["blog"]],
    ["any case of the key, spaces", "x\n\nsitestack-destroy :  blog  \n", ["blog"]],
    ["a stack name", "x\n\nSitestack-Destroy: site-blog", ["site-blog"]],
    ["several lines", "x\n\nSitestack-Destroy: a\nSitestack-Destroy: b", ["a", "b"]],
    [
      "GitHub's squash body (bullets, Co-authored-by after it)",
      "Retire two sites (#12)\n\n* Remove blog\n\nSitestack-Destroy: blog\n\n* fix\n\nCo-authored-by: x <x@y>",
      ["blog"],
    ],
    ["a bullet before the key", "* Sitestack-Destroy: blog", ["blog"]],
    ["no approval in prose", "we will Sitestack-Destroy: blog later", []],
    ["two names on one line are not one approval", "Sitestack-Destroy: a b", []],
    ["not a site name", "Sitestack-Destroy: ../etc", []],
    ["another trailer", "Sitestack-Destroyed: blog", []],
  ])("%s", (_, message, names) => {
    expect(approvalsInMessage(message, "c0ffee").map((approval) => approval.name)).toEqual(names);
  });
});

describe("destroyApprovals", () => {
  let dir: string;
  const commits: Record<string, string> = {};
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "sitestack-approval-"));
    git(dir, "init", "--quiet", "--initial-branch=main");
    writeFileSync(join(dir, "a.txt"), "1");
    git(dir, "add", "-A");
    git(dir, "commit", "--quiet", "-m", "base\n\nSitestack-Destroy: before-range");
    commits.base = git(dir, "rev-parse", "HEAD");
    git(dir, "checkout", "--quiet", "-b", "pr");
    writeFileSync(join(dir, "a.txt"), "2");
    git(dir, "commit", "--quiet", "-am", "Remove blog\n\nSitestack-Destroy: blog");
    commits.pr = git(dir, "rev-parse", "HEAD");
    git(dir, "checkout", "--quiet", "main");
    git(dir, "merge", "--quiet", "--no-ff", "-m", "Merge pull request #3", "pr");
    commits.merge = git(dir, "rev-parse", "HEAD");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("a merge commit brings the PR's commits and their trailers into the range", async () => {
    expect(
      await destroyApprovals({ repoDir: dir, base: commits.base!, head: commits.merge! }),
    ).toEqual([{ name: "blog", commit: commits.pr }]);
  });

  test("commits before the range do not count", async () => {
    expect(
      await destroyApprovals({ repoDir: dir, base: commits.merge!, head: commits.merge! }),
    ).toEqual([]);
  });

  test("an unknown base is a clear error", async () => {
    await expect(destroyApprovals({ repoDir: dir, base: "no-such-ref" })).rejects.toThrow(
      /--base "no-such-ref": names no commit/,
    );
  });
});
