import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  detectSiteChanges,
  GitRefInvalid,
  NotAGitRepository,
  parseNameStatus,
} from "../../stacks/ci/changes.js";
import { gitEnvironment } from "../../stacks/ci/git.js";
import { createPrRepo, git, type PrRepo } from "./support/pr-repo.js";

describe("detectSiteChanges", () => {
  let repo: PrRepo;
  beforeAll(() => {
    repo = createPrRepo();
  });
  afterAll(() => repo.remove());

  test("finds the added, changed, renamed and deleted files and the staging of a changed chart", async () => {
    const found = await detectSiteChanges({ repoDir: repo.dir, base: "main" });
    expect(found.changedCharts).toEqual(["box"]);
    expect(found.mergeBase).toBe(git(repo.dir, "merge-base", "main", "pr"));
    expect(found.changes).toEqual(
      [
        {
          change: "changed",
          path: "sites/bodega.yaml",
          site: "bodega",
          kind: "BoxSite",
          stack: "site-bodega",
          reason: "site file changed",
        },
        {
          change: "deleted",
          path: "sites/blog.yaml",
          site: "blog",
          kind: "HostRoute",
          stack: "site-blog",
          reason: "site file deleted",
        },
        {
          change: "added",
          path: "sites/chefcito.yaml",
          site: "chefcito",
          kind: "App",
          stack: "site-chefcito",
          reason: "site file added",
        },
        {
          change: "renamed",
          path: "sites/fiufit.yaml",
          previousPath: "sites/fiuba.yaml",
          site: "fiufit",
          kind: "App",
          stack: "site-fiufit",
          previousStack: "site-fiuba",
          reason: "renamed from sites/fiuba.yaml",
        },
        {
          change: "changed",
          path: "sites/pr-42.yaml",
          site: "pr-42",
          kind: "Staging",
          stack: "staging-pr-42",
          reason: "chart box changed",
          charts: ["box"],
        },
      ].sort((a, b) => (a.path < b.path ? -1 : 1)),
    );
  });

  test("compares with the merge base: a later change on the base branch is not the PR's", async () => {
    const found = await detectSiteChanges({ repoDir: repo.dir, base: "main", head: "pr" });
    expect(found.changes.map((change) => change.path)).not.toContain("sites/acme.yaml");
  });

  test("the base against itself changes nothing", async () => {
    const found = await detectSiteChanges({ repoDir: repo.dir, base: "pr" });
    expect(found.changes).toEqual([]);
    expect(found.changedCharts).toEqual([]);
  });

  test("an unknown base ref is a GitRefInvalid that says to fetch it", async () => {
    const error = await detectSiteChanges({ repoDir: repo.dir, base: "origin/nope" }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GitRefInvalid);
    expect((error as Error).message).toBe(
      '--base "origin/nope": names no commit in this repository; fetch it first (actions/checkout with fetch-depth: 0, or `git fetch origin origin/nope`)',
    );
    expect((error as GitRefInvalid).exitCode).toBe(2);
  });

  test("a ref that looks like an option is refused before git sees it", async () => {
    await expect(
      detectSiteChanges({ repoDir: repo.dir, base: "--output=/tmp/x" }),
    ).rejects.toBeInstanceOf(GitRefInvalid);
  });

  test("a site file whose name holds a line break is listed without a kind, not a crash", async () => {
    git(repo.dir, "checkout", "--quiet", "-b", "odd-name", "pr");
    try {
      writeFileSync(join(repo.dir, "sites", "we\nird.yaml"), "kind: BoxSite\n");
      git(repo.dir, "add", "-A");
      git(repo.dir, "commit", "--quiet", "-m", "odd name");
      const found = await detectSiteChanges({ repoDir: repo.dir, base: "pr" });
      expect(found.changes).toEqual([
        { change: "added", path: "sites/we\nird.yaml", site: "we\nird", reason: "site file added" },
      ]);
    } finally {
      git(repo.dir, "checkout", "--quiet", "pr");
    }
  });

  test("a folder outside any repository is a NotAGitRepository", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sitestack-not-git-"));
    try {
      const error = await detectSiteChanges({ repoDir: dir, base: "main" }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(NotAGitRepository);
      expect((error as Error).message).toContain("is not inside a git repository");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("parseNameStatus", () => {
  test("reads renames and paths with spaces and newlines", () => {
    expect(
      parseNameStatus("M\0sites/a b.yaml\0R087\0sites/x.yaml\0sites/y\n.yaml\0D\0z\0"),
    ).toEqual([
      { status: "M", path: "sites/a b.yaml" },
      { status: "R", previousPath: "sites/x.yaml", path: "sites/y\n.yaml" },
      { status: "D", path: "z" },
    ]);
  });
});

describe("gitEnvironment", () => {
  test("git gets no secret of the pipeline: only PATH, HOME, TMPDIR, USER and GIT_CONFIG_*", () => {
    const env = gitEnvironment({
      PATH: "/usr/bin",
      HOME: "/home/runner",
      GIT_CONFIG_COUNT: "1",
      SITESTACK_SECRET_ACME_OIDC_CLIENT_SECRET: "s3cr3t",
      PULUMI_CONFIG_PASSPHRASE: "passphrase",
      GITHUB_TOKEN: "ghs_token",
      AWS_SECRET_ACCESS_KEY: "aws",
    });
    expect(env).toEqual({
      PATH: "/usr/bin",
      HOME: "/home/runner",
      GIT_CONFIG_COUNT: "1",
      GIT_PAGER: "cat",
      GIT_TERMINAL_PROMPT: "0",
      LC_ALL: "C",
    });
  });
});
