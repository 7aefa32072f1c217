import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import {
  GitHubRequestFailed,
  pullRequestTargetFromEnv,
  upsertPullRequestComment,
} from "../../stacks/ci/github-comment.js";
import { startGitHubApi, type FakeGitHubApi } from "../support/github-api.js";

// A value no code path invents: if it shows up anywhere but the Authorization header, it leaked.
const token = "ghs_KnownSecretTokenValue0123456789abcdef";
const marker = "<!-- sitestack:plan -->";

let api: FakeGitHubApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function target(url: string) {
  return { repository: "acme/sites", pullRequest: 7, token, apiUrl: url };
}

/** Everything the fake API received, except the Authorization header. */
function sentOutsideAuthorization(fake: FakeGitHubApi): string {
  return JSON.stringify(
    fake.calls.map(({ headers, ...call }) => ({
      ...call,
      headers: Object.fromEntries(
        Object.entries(headers).filter(([key]) => key !== "authorization"),
      ),
    })),
  );
}

describe("upsertPullRequestComment", () => {
  test("creates the comment on the first run and updates the same one on the second", async () => {
    api = await startGitHubApi();
    const first = await upsertPullRequestComment({ ...target(api.url), marker, body: "run 1" });
    expect(first).toMatchObject({ action: "created", author: "bots" });
    const second = await upsertPullRequestComment({ ...target(api.url), marker, body: "run 2" });
    expect(second).toMatchObject({ action: "updated", commentId: first.commentId });
    expect(api.comments).toEqual([
      {
        id: first.commentId,
        issue: 7,
        body: `${marker}\nrun 2`,
        user: { login: "github-actions[bot]", type: "Bot" },
      },
    ]);
    expect(api.calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      "GET /user",
      "GET /repos/acme/sites/issues/7/comments?per_page=100",
      "POST /repos/acme/sites/issues/7/comments",
      "GET /user",
      "GET /repos/acme/sites/issues/7/comments?per_page=100",
      `PATCH /repos/acme/sites/issues/comments/${first.commentId}`,
    ]);
  });

  test("finds its comment behind a full page of 100 other comments", async () => {
    api = await startGitHubApi();
    for (let i = 0; i < 100; i++) api.addComment(7, `looks good ${i}`);
    const ours = api.addComment(7, `${marker}\nold plan`, {
      login: "github-actions[bot]",
      type: "Bot",
    });
    const result = await upsertPullRequestComment({ ...target(api.url), marker, body: "new plan" });
    expect(result).toMatchObject({ action: "updated", commentId: ours.id });
    expect(api.calls.map((call) => call.path)).toContain(
      "/repos/acme/sites/issues/7/comments?per_page=100&page=2",
    );
    expect(api.comments).toHaveLength(101);
  });

  test("ignores the marker in a comment somebody else wrote", async () => {
    api = await startGitHubApi();
    const pasted = api.addComment(7, `quoting ${marker} here`);
    const result = await upsertPullRequestComment({ ...target(api.url), marker, body: "plan" });
    expect(result.action).toBe("created");
    expect(api.comments.find((comment) => comment.id === pasted.id)?.body).toBe(
      `quoting ${marker} here`,
    );
  });

  test("with a token that can read /user, only that user's comments count", async () => {
    api = await startGitHubApi({ login: "sitestack-bot" });
    api.addComment(7, `${marker}\nby another bot`, { login: "other[bot]", type: "Bot" });
    const ours = api.addComment(7, `${marker}\nold`, { login: "sitestack-bot", type: "User" });
    const result = await upsertPullRequestComment({ ...target(api.url), marker, body: "new" });
    expect(result).toMatchObject({
      action: "updated",
      commentId: ours.id,
      author: "sitestack-bot",
    });
  });

  test("sends the token as a header and nowhere else", async () => {
    api = await startGitHubApi();
    await upsertPullRequestComment({ ...target(api.url), marker, body: "plan" });
    for (const call of api.calls) expect(call.headers.authorization).toBe(`token ${token}`);
    expect(sentOutsideAuthorization(api)).not.toContain(token);
  });

  test.each([
    [403, "GitHub refused (403): the token lacks `pull-requests: write`"],
    [404, "not found (404): the repository or pull request does not exist"],
    [401, "the token was refused (401)"],
  ])("HTTP %i gives a clear error without the token", async (status, reason) => {
    api = await startGitHubApi({ failWith: status });
    const error = await upsertPullRequestComment({ ...target(api.url), marker, body: "x" }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GitHubRequestFailed);
    const failure = error as GitHubRequestFailed;
    expect(failure.status).toBe(status);
    expect(failure.message).toContain(
      `GitHub: could not list the pull request's comments on acme/sites#7 at ${api.url}: ${reason}`,
    );
    expect(`${failure.message}\n${failure.stack ?? ""}`).not.toContain(token);
  });

  test("a refused connection gives a clear error", async () => {
    const error = await upsertPullRequestComment({
      ...target("http://127.0.0.1:9"),
      marker,
      body: "x",
    }).catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(GitHubRequestFailed);
    expect((error as Error).message).toMatch(/: no answer \(connection failed\)$/);
    expect((error as Error).message).not.toContain(token);
  });

  test("an API that never answers is given up after the timeout", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = Date.now();
      const error = await upsertPullRequestComment({
        ...target(`http://127.0.0.1:${port}`),
        marker,
        body: "x",
        timeoutMs: 300,
      }).catch((caught: unknown) => caught as Error);
      expect((error as Error).message).toMatch(/: no answer \(timed out\)$/);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  test("refuses a body over GitHub's limit before sending anything", async () => {
    api = await startGitHubApi();
    await expect(
      upsertPullRequestComment({ ...target(api.url), marker, body: "x".repeat(65_536) }),
    ).rejects.toThrow(/over GitHub's limit of 65536: trim it before posting/);
    expect(api.calls).toEqual([]);
  });
});

describe("pullRequestTargetFromEnv", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "sitestack-gh-env-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const base = { GITHUB_TOKEN: token, GITHUB_REPOSITORY: "acme/sites" };

  test("reads the pull request number from the event file", async () => {
    const event = join(dir, "event.json");
    writeFileSync(event, JSON.stringify({ action: "opened", pull_request: { number: 42 } }));
    expect(
      await pullRequestTargetFromEnv({
        ...base,
        GITHUB_EVENT_PATH: event,
        GITHUB_API_URL: "https://ghe.example/api/v3",
      }),
    ).toEqual({
      repository: "acme/sites",
      pullRequest: 42,
      token,
      apiUrl: "https://ghe.example/api/v3",
    });
  });

  test("an explicit --pr wins over the event", async () => {
    expect((await pullRequestTargetFromEnv(base, 9)).pullRequest).toBe(9);
  });

  test.each([
    [{ GITHUB_REPOSITORY: "acme/sites" }, /^GITHUB_TOKEN is not set: give the step/],
    [{ GITHUB_TOKEN: token }, /^GITHUB_REPOSITORY is not set/],
    [{ ...base, GITHUB_REPOSITORY: "not a repo" }, /must be "owner\/repo"/],
    [base, /^no pull request number: pass --pr <n>/],
  ])("says what is missing (%#)", async (env, message) => {
    const error = (await pullRequestTargetFromEnv(env).catch((caught: unknown) => caught)) as Error;
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(token);
  });

  test("a push event without a pull request says so", async () => {
    const event = join(dir, "push.json");
    writeFileSync(event, JSON.stringify({ ref: "refs/heads/main" }));
    await expect(pullRequestTargetFromEnv({ ...base, GITHUB_EVENT_PATH: event })).rejects.toThrow(
      /^no pull request number/,
    );
  });
});
