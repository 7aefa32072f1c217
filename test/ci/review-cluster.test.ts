import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { orphansOf } from "../../stacks/ci/changes.js";
import { ciReview, reviewCommentMarker, type ReviewResult } from "../../stacks/ci/review.js";
import type { ManagerEvent } from "../../stacks/manager/events.js";
import type { StackManager } from "../../stacks/manager/manager.js";
import { clusterSiteManager } from "../support/cluster-sites.js";
import type { SiteSpec } from "../../stacks/site-model/index.js";
import { startApiServer, type ApiServer } from "../support/apiserver.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";
import { startGitHubApi, type FakeGitHubApi } from "../support/github-api.js";
import { repositoryRoot } from "./support/pr-repo.js";

/*
 * A pull request's review staging through the real engine, the real Kubernetes provider and the
 * test API server (pods scheduled and made Ready by kwok): opened → created from the template
 * sites/pr-42.yaml with the PR's tag; a new push → updated to the new tag in place; closed →
 * cleaned up, namespace and all. The PR comment goes to a loopback imitation of GitHub's API
 * (GitHub is unreachable here), which records every call.
 */

const token = "ghs_ReviewKnownToken0000000000000000000";
const secrets = {
  SITESTACK_SECRET_STAGING_OIDC_CLIENT_SECRET: "known-review-oidc-3c9f0d12",
  SITESTACK_SECRET_STAGING_DB_PASSWORD: "known-review-dbpw-8e4a61b7",
};

let fixture: TestEngine;
let api: ApiServer;
let github: FakeGitHubApi;
let manager: StackManager<SiteSpec>;
let projectDir: string;
const written: string[] = [];
const savedKubeconfig = process.env.KUBECONFIG;

async function review(action: "open" | "close", tag?: string): Promise<ReviewResult> {
  const result = await ciReview({
    repoDir: projectDir,
    pullRequest: 7,
    action,
    ...(tag === undefined ? {} : { tag }),
    template: "sites/pr-42.yaml",
    manager,
    comment: { repository: "acme/sites", pullRequest: 7, token, apiUrl: github.url },
    onEvent: (event: ManagerEvent) => written.push(JSON.stringify(event)),
  });
  written.push(JSON.stringify(result));
  return result;
}

async function deployedImages(): Promise<string[]> {
  const list = (await api.client.get("/apis/apps/v1/namespaces/staging-pr-7/deployments")) as {
    items: { spec: { template: { spec: { containers: { image: string }[] } } } }[];
  };
  return list.items.flatMap((item) =>
    item.spec.template.spec.containers.map((container) => container.image),
  );
}

beforeAll(async () => {
  [fixture, api, github] = await Promise.all([
    startTestEngine(),
    startApiServer({ workloads: true }),
    startGitHubApi(),
  ]);
  delete process.env.KUBECONFIG;
  projectDir = join(fixture.dir, "project");
  mkdirSync(join(projectDir, "sites"), { recursive: true });
  copyFileSync(
    join(repositoryRoot, "sites", "pr-42.yaml"),
    join(projectDir, "sites", "pr-42.yaml"),
  );
  manager = clusterSiteManager(fixture, api, projectDir, secrets);
}, 600_000);

afterAll(async () => {
  if (savedKubeconfig !== undefined) process.env.KUBECONFIG = savedKubeconfig;
  await github?.close();
  await api?.stop();
  await fixture?.dispose();
});

describe("review stagings against the test API server", { timeout: 400_000 }, () => {
  let commentId: number;

  test("an opened PR gets its staging from the template and one comment with its URL", async () => {
    const result = await review("open", "0.4.0-pr.7");
    expect(result).toMatchObject({
      action: "up",
      result: "succeeded",
      stack: "staging-pr-7",
      status: "Running",
      tag: "0.4.0-pr.7",
      ttl: "72h",
      urls: ["https://pr-7.staging.sites.example.net/"],
      exitCode: 0,
      comment: { action: "created" },
    });
    commentId = result.comment!.commentId;
    expect(await deployedImages()).toContain("docker.io/juntoz/jzbox:0.4.0-pr.7");
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain(reviewCommentMarker);
    expect(github.comments[0]!.body).toContain(
      "- [https://pr-7.staging.sites.example.net/](https://pr-7.staging.sites.example.net/)",
    );
  });

  test("the staging has no site file, is labelled as PR 7's review staging and is no orphan", async () => {
    const [report] = await manager.list();
    expect(report).toMatchObject({
      stack: "staging-pr-7",
      kind: "Staging",
      labels: { team: "shops", pr: "42", "sitestack/review-pr": "7" },
      ttl: { state: "live" },
    });
    expect(report!.file).toBeUndefined();
    expect(orphansOf(await manager.list(), [])).toEqual([]);
    // The label is what keeps it out: the same stack without it would be an orphan.
    const unlabelled = { ...report!, labels: { team: "shops" } };
    expect(orphansOf([unlabelled], []).map((orphan) => orphan.stack)).toEqual(["staging-pr-7"]);
  });

  test("a new push updates the same staging to the new tag and edits the same comment", async () => {
    const result = await review("open", "0.4.0-pr.7.2");
    expect(result).toMatchObject({ result: "succeeded", status: "Running", tag: "0.4.0-pr.7.2" });
    expect(result.comment).toMatchObject({ action: "updated", commentId });
    expect(await deployedImages()).toContain("docker.io/juntoz/jzbox:0.4.0-pr.7.2");
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain("Deployed tag `0.4.0-pr.7.2`: Running.");
  });

  test("closing the PR cleans the staging up and says so in the same comment", async () => {
    const result = await review("close");
    expect(result).toMatchObject({ action: "cleanup", result: "succeeded", exitCode: 0 });
    expect(result.comment).toMatchObject({ action: "updated", commentId });
    await api.client.waitGone("/api/v1/namespaces/staging-pr-7", 120_000);
    expect(await manager.list()).toEqual([]);
    expect(github.comments[0]!.body).toContain("Cleaned up: the pull request was closed.");
  });

  test("closing again finds nothing to clean up and still keeps one comment", async () => {
    const result = await review("close");
    expect(result).toMatchObject({ action: "none", result: "succeeded", exitCode: 0 });
    expect(github.comments).toHaveLength(1);
  });

  test("GitHub got the token only as a header, and no line written holds a secret value", () => {
    const comments = github.calls.filter((call) => call.method !== "GET");
    expect(comments.map((call) => call.method)).toEqual(["POST", "PATCH", "PATCH", "PATCH"]);
    const sent = JSON.stringify(
      github.calls.map((call) => ({ ...call, headers: { ...call.headers, authorization: "" } })),
    );
    const all = `${written.join("\n")}\n${sent}`;
    for (const value of [...Object.values(secrets), token, fixture.passphrase]) {
      expect(all).not.toContain(value);
    }
  });
});
