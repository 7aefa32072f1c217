import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ApplyReport } from "../../stacks/ci/apply.js";
import { renderApplySummary } from "../../stacks/ci/apply-summary.js";
import { applyMatrix } from "../../stacks/ci/changes-command.js";
import {
  ciReview,
  renderReviewComment,
  reviewStagingSpec,
  type ReviewManager,
} from "../../stacks/ci/review.js";
import { fitStepSummary, stepSummaryLimitBytes } from "../../stacks/ci/step-summary.js";
import { ValidationFailed } from "../../stacks/errors.js";
import type { StackStatusReport } from "../../stacks/manager/status-view.js";
import type { StagingSpec } from "../../stacks/site-model/index.js";
import { repositorySite } from "../support/site-files.js";
import { runCliCaptured } from "../support/run-cli.js";

let template: StagingSpec;
beforeAll(async () => {
  template = await repositorySite("pr-42.yaml", "Staging");
});

describe("reviewStagingSpec", () => {
  test("names, labels and tags the staging for the PR and keeps the template's ttl", () => {
    const spec = reviewStagingSpec(template, { pullRequest: 7, tag: "pr-7-abc" }, "t.yaml");
    expect(spec.metadata).toEqual({
      name: "pr-7",
      labels: { team: "shops", pr: "42", "sitestack/review-pr": "7" },
    });
    expect(spec.spec.tag).toBe("pr-7-abc");
    expect(spec.spec.ttl).toBe("72h");
    expect(spec.spec.secretValues).toEqual(template.spec.secretValues);
  });

  test("--ttl wins; without any ttl the default is 7d", () => {
    expect(
      reviewStagingSpec(template, { pullRequest: 7, tag: "x", ttl: "12h" }, "t.yaml").spec.ttl,
    ).toBe("12h");
    const withoutTtl = { ...template, spec: { ...template.spec, ttl: undefined } } as StagingSpec;
    expect(reviewStagingSpec(withoutTtl, { pullRequest: 7, tag: "x" }, "t.yaml").spec.ttl).toBe(
      "7d",
    );
  });

  test("drops the template's ingress host, so each PR answers on its own name", () => {
    const hosted = {
      ...template,
      spec: {
        ...template.spec,
        values: { ...template.spec.values, ingress: { host: "qa.x.com" } },
      },
    } as StagingSpec;
    const spec = reviewStagingSpec(hosted, { pullRequest: 7, tag: "x" }, "t.yaml");
    expect(spec.spec.values.ingress).toEqual({});
    expect(hosted.spec.values.ingress).toEqual({ host: "qa.x.com" });
  });

  test("a tag that is no image tag is a validation problem naming the field", () => {
    const error = (() => {
      try {
        reviewStagingSpec(template, { pullRequest: 7, tag: "a b;rm -rf" }, "t.yaml");
      } catch (caught) {
        return caught as ValidationFailed;
      }
    })();
    expect(error).toBeInstanceOf(ValidationFailed);
    expect(error?.problems.map((problem) => `${problem.file} ${problem.path}`)).toEqual([
      "review staging of PR #7 (from t.yaml) spec.tag",
    ]);
  });
});

describe("ciReview refuses a stack that is not its own", () => {
  let dir: string;
  const calls: string[] = [];
  const manager = (reports: Partial<StackStatusReport>[]): ReviewManager => ({
    list: async () => reports as StackStatusReport[],
    up: async (target) => {
      calls.push(`up ${target.stack}`);
      throw new Error("not expected");
    },
    cleanup: async (target) => {
      calls.push(`cleanup ${target.stack}`);
      throw new Error("not expected");
    },
  });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "sitestack-review-"));
    mkdirSync(join(dir, "sites"));
    writeFileSync(join(dir, "sites", "pr-42.yaml"), "kind: Staging\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("a site file pr-<n>.yaml owns the stack", async () => {
    await expect(
      ciReview({ repoDir: dir, pullRequest: 42, action: "close", manager: manager([]) }),
    ).rejects.toThrow(
      /^sites\/pr-42\.yaml is a site file of its own and owns staging-pr-42: its review staging would overwrite it/,
    );
  });

  test("a stack of that name without the PR's label", async () => {
    await expect(
      ciReview({
        repoDir: dir,
        pullRequest: 8,
        action: "close",
        manager: manager([{ stack: "staging-pr-8", labels: { "sitestack/review-pr": "9" } }]),
      }),
    ).rejects.toThrow(
      'staging-pr-8 exists but is not the review staging of PR #8 (label sitestack/review-pr is "9"): left as it is',
    );
    expect(calls).toEqual([]);
  });

  test("no tag, no deploy", async () => {
    await expect(
      ciReview({ repoDir: dir, pullRequest: 8, action: "open", manager: manager([]) }),
    ).rejects.toThrow("--tag is needed to create or update a review staging");
  });
});

describe("renderReviewComment", () => {
  const base = { pullRequest: 7, site: "pr-7", stack: "staging-pr-7", exitCode: 0 } as const;

  test("links plain URLs and shows anything else as escaped text", () => {
    const text = renderReviewComment({
      ...base,
      action: "up",
      result: "succeeded",
      tag: "t",
      status: "Running",
      ttl: "72h",
      urls: ["https://pr-7.staging.example.net/", "https://x.example/a)[b](javascript:x)"],
    });
    expect(text).toContain(
      "- [https://pr-7.staging.example.net/](https://pr-7.staging.example.net/)",
    );
    expect(text).toContain("- https\\:\\/\\/x\\.example\\/a\\)\\[b\\]\\(javascript\\:x\\)");
  });

  test("a failure quotes the message as an indented block, control characters escaped", () => {
    const text = renderReviewComment({
      ...base,
      action: "up",
      result: "failed",
      tag: "t",
      urls: [],
      exitCode: 5,
      message: "up of staging-pr-7 failed: boom\u001b[2J\n</details>",
    });
    expect(text).toContain("Deploying tag `t` failed (exit code 5)");
    expect(text).toContain("    up of staging-pr-7 failed: boom\\x1b[2J\n    </details>");
  });
});

describe("the apply summary and matrix", () => {
  const report: ApplyReport = {
    base: { ref: "a", commit: "a".repeat(40) },
    head: { ref: "b", commit: "b".repeat(40) },
    entries: [
      {
        site: "acme",
        stack: "site-acme",
        path: "sites/acme.yaml",
        change: "renamed",
        reason: "renamed from sites/[x](http://evil)|.yaml",
        action: "up",
        result: "failed",
        durationMs: 1200,
        message: "up of site-acme failed: <img src=x onerror=alert(1)>\n\nmore",
      },
    ],
    orphans: [{ stack: "site-gone", kind: "BoxSite", status: "Running" }],
    unusedApprovals: [{ name: "blog", commit: "c".repeat(40) }],
    exitCode: 5,
  };

  test("escapes every user-controlled string and lists failures, orphans and unused approvals", () => {
    const text = renderApplySummary(report);
    expect(text).toContain("renamed from sites\\/\\[x\\]\\(http\\:\\/\\/evil\\)\\|\\.yaml");
    // In the <summary> escaped; below it as an indented code block, which renders no HTML.
    expect(text).toContain("<summary>site\\-acme: up of site\\-acme failed\\: \\<img");
    expect(text).toContain(
      "\n\n    up of site-acme failed: <img src=x onerror=alert(1)>\n\n</details>",
    );
    expect(text).toContain("- site\\-gone (BoxSite, Running)");
    expect(text).toContain("`Sitestack-Destroy: blog` in cccccccccccc");
  });

  test("the matrix keeps one entry per DNS-label site name, deletions included", () => {
    const matrix = applyMatrix({
      base: { ref: "a", commit: "a" },
      head: { ref: "b", commit: "b" },
      mergeBase: "a",
      changedCharts: [],
      changes: [
        {
          change: "changed",
          path: "sites/acme.yaml",
          site: "acme",
          stack: "site-acme",
          reason: "",
        },
        {
          change: "deleted",
          path: "sites/blog.yaml",
          site: "blog",
          stack: "site-blog",
          reason: "",
        },
        { change: "added", path: "sites/a\nb.yaml", site: "a\nb", reason: "" },
      ],
    });
    expect(matrix).toEqual({
      include: [
        { site: "acme", stack: "site-acme", change: "changed" },
        { site: "blog", stack: "site-blog", change: "deleted" },
      ],
    });
  });

  test("a summary over GitHub's 1 MiB job summary limit is cut with a pointer", () => {
    const cut = fitStepSummary("x".repeat(stepSummaryLimitBytes + 10), "apply.md");
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(stepSummaryLimitBytes);
    expect(cut.endsWith("the whole text is in apply.md.\n")).toBe(true);
  });
});

describe("sitestack ci review on the command line", () => {
  test("without GITHUB_TOKEN it stops before deploying and says what to set", async () => {
    const result = await runCliCaptured(
      ["ci", "review", "--pr", "7", "--tag", "t", "--template", "sites/pr-42.yaml"],
      { GITHUB_REPOSITORY: "acme/sites" },
    );
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "error: GITHUB_TOKEN is not set: give the step `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}` (and `permissions: pull-requests: write`)\n",
    });
  });

  test("--pr must be a whole number", async () => {
    const result = await runCliCaptured(["ci", "review", "--pr", "seven", "--close"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--pr must be a whole number");
  });
});
