import { readFile, stat } from "node:fs/promises";
import { Octokit } from "@octokit/rest";
import { escapeLine } from "../escape.js";
import { gitHubCommentLimit } from "./render-plan.js";

/**
 * One pull request comment that stays true: the PR pipeline (`ci plan --comment`, `ci review`)
 * finds its own comment by a hidden HTML marker and edits it on every push, instead of adding one
 * comment per run (pulumi/actions#633). GitHub's REST API through `@octokit/rest`; tests point
 * `apiUrl` at a loopback server, since GitHub itself is unreachable from the test machines.
 */

/** Where a comment goes and with which credentials. */
export interface PullRequestTarget {
  /** `owner/repo`. */
  readonly repository: string;
  /** The pull request's number. */
  readonly pullRequest: number;
  /** A token with `pull-requests: write` (or `issues: write`). Sent as a header, never printed. */
  readonly token: string;
  /**
   * The REST API's base URL.
   * @default "https://api.github.com"
   */
  readonly apiUrl?: string;
}

/** Arguments of {@link upsertPullRequestComment}. */
export interface UpsertCommentArgs extends PullRequestTarget {
  /** A hidden HTML comment naming the comment's purpose, e.g. `<!-- sitestack:plan -->`. */
  readonly marker: string;
  /** The comment's Markdown. The marker is put on its first line unless the body carries it. */
  readonly body: string;
  /**
   * Milliseconds each HTTP request may take.
   * @default 30000
   */
  readonly timeoutMs?: number;
}

/** What {@link upsertPullRequestComment} did. */
export interface UpsertCommentResult {
  readonly action: "created" | "updated";
  readonly commentId: number;
  /** The comment's page on GitHub (`html_url`). */
  readonly url: string;
  /** Whose comments were searched for the marker: a login, or `bots` (see {@link ownAuthor}). */
  readonly author: string;
}

/** A GitHub API call that failed, with what to do; never the token. */
export class GitHubRequestFailed extends Error {
  override readonly name = "GitHubRequestFailed";

  /**
   * @param status The HTTP status (0 when no answer came).
   * @param message What failed and what to do.
   */
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const defaultApiUrl = "https://api.github.com";
const markerPattern = /^<!--\s[a-z0-9:._/-]{1,100}\s-->$/;
// Comments are listed 100 a page; a PR with more than 5,000 comments gets a new one instead of
// a scan without end.
const maxCommentPages = 50;

/** Owner and repository name of `owner/repo`, or an error saying what form is expected. */
export function splitRepository(repository: string): { owner: string; repo: string } {
  const match = /^([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})$/.exec(repository);
  if (!match) {
    throw new Error(
      `the repository must be "owner/repo" (GITHUB_REPOSITORY), got "${escapeLine(repository.slice(0, 200))}"`,
    );
  }
  return { owner: match[1]!, repo: match[2]! };
}

function octokitFor(target: PullRequestTarget, timeoutMs: number): Octokit {
  const quiet = (): void => undefined;
  return new Octokit({
    auth: target.token,
    baseUrl: (target.apiUrl ?? defaultApiUrl).replace(/\/+$/, ""),
    userAgent: "sitestack",
    // Octokit logs deprecations and request failures to the console itself; the pipeline reports
    // failures once, through GitHubRequestFailed.
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    request: {
      // Each request is bounded: a runner must not hang on an API that stopped answering.
      fetch: (url: string | URL, init?: RequestInit) =>
        fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
    },
  });
}

/**
 * The HTTP status of an Octokit failure; 0 when the request never got an answer (Octokit reports
 * a refused connection or a timeout as a status 500 without a response).
 */
function statusOf(error: unknown): number {
  if (typeof error !== "object" || error === null || !("status" in error)) return 0;
  if (!("response" in error) || (error as { response?: unknown }).response === undefined) return 0;
  return Number((error as { status: unknown }).status) || 0;
}

/** Whether a request without an answer was cut by its timeout (rather than refused). */
function timedOut(error: unknown): boolean {
  const names = [error, (error as { cause?: unknown } | null)?.cause].map((value) =>
    value instanceof Error ? value.name : "",
  );
  return names.includes("TimeoutError") || names.includes("AbortError");
}

/**
 * A failure as the user should read it: the operation, the status, what usually causes it. Built
 * from our own words and the status only — Octokit's error text may quote the request.
 */
function requestFailure(error: unknown, doing: string, target: PullRequestTarget): Error {
  const status = statusOf(error);
  const where = `${target.repository}#${target.pullRequest} at ${target.apiUrl ?? defaultApiUrl}`;
  const because: Record<number, string> = {
    401: "the token was refused (401): check the GITHUB_TOKEN given to the step",
    403:
      "GitHub refused (403): the token lacks `pull-requests: write` (set `permissions:` in the " +
      "workflow), or the pull request comes from a fork, whose token is read-only — or a rate limit was hit",
    404: "not found (404): the repository or pull request does not exist, or the token cannot see it",
    422: "GitHub rejected the comment (422): the body is invalid or too long",
  };
  const reason =
    because[status] ??
    (status === 0
      ? `no answer (${timedOut(error) ? "timed out" : "connection failed"})`
      : `HTTP ${status}`);
  return new GitHubRequestFailed(status, `GitHub: could not ${doing} on ${where}: ${reason}`);
}

/**
 * Whose comments may carry our marker. A personal or fine-grained token can read `GET /user`, so
 * its own login is the author; the Actions `GITHUB_TOKEN` (an app installation token) cannot
 * (403), and then the author is "any bot account" (`github-actions[bot]`, a GitHub App), which a
 * person pasting the marker into a comment of their own cannot be.
 */
async function ownAuthor(octokit: Octokit): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    return data.login;
  } catch (error) {
    const status = statusOf(error);
    if (status === 403 || status === 404) return undefined;
    throw error;
  }
}

/** The body as sent: the marker first, so the comment can be found again. */
export function commentBody(marker: string, body: string): string {
  return body.includes(marker) ? body : `${marker}\n${body}`;
}

/**
 * Creates the pull request's comment carrying `marker`, or edits it in place when it exists: the
 * oldest comment by the token's own author (see {@link ownAuthor}) whose body contains the marker,
 * looked for through every page of the PR's comments. Never adds a second one.
 */
export async function upsertPullRequestComment(
  args: UpsertCommentArgs,
): Promise<UpsertCommentResult> {
  if (!markerPattern.test(args.marker)) {
    throw new Error(`the comment marker must look like "<!-- sitestack:plan -->"`);
  }
  const body = commentBody(args.marker, args.body);
  if (body.length > gitHubCommentLimit) {
    throw new Error(
      `the comment has ${body.length} characters, over GitHub's limit of ${gitHubCommentLimit}: trim it before posting`,
    );
  }
  const { owner, repo } = splitRepository(args.repository);
  const octokit = octokitFor(args, args.timeoutMs ?? 30_000);
  const issue = { owner, repo, issue_number: args.pullRequest };

  let login: string | undefined;
  let existing: number | undefined;
  try {
    login = await ownAuthor(octokit);
    let pages = 0;
    for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
      ...issue,
      per_page: 100,
    })) {
      const mine = page.data.find(
        (comment) =>
          (login === undefined ? comment.user?.type === "Bot" : comment.user?.login === login) &&
          (comment.body ?? "").includes(args.marker),
      );
      if (mine) {
        existing = mine.id;
        break;
      }
      if (++pages >= maxCommentPages) break;
    }
  } catch (error) {
    throw requestFailure(error, "list the pull request's comments", args);
  }

  const author = login ?? "bots";
  if (existing !== undefined) {
    try {
      const { data } = await octokit.rest.issues.updateComment({
        owner,
        repo,
        comment_id: existing,
        body,
      });
      return { action: "updated", commentId: data.id, url: data.html_url, author };
    } catch (error) {
      throw requestFailure(error, `update comment ${existing}`, args);
    }
  }
  try {
    const { data } = await octokit.rest.issues.createComment({ ...issue, body });
    return { action: "created", commentId: data.id, url: data.html_url, author };
  } catch (error) {
    throw requestFailure(error, "create a comment", args);
  }
}

/** The GitHub Actions environment variables the PR pipeline reads. */
export const gitHubEnvVars = {
  token: "GITHUB_TOKEN",
  repository: "GITHUB_REPOSITORY",
  apiUrl: "GITHUB_API_URL",
  eventPath: "GITHUB_EVENT_PATH",
} as const;

// An event payload is a few kilobytes; a bound keeps a hostile or wrong file from being read whole.
const maxEventFileBytes = 25 * 1024 * 1024;

/** The pull request number of the workflow's event file (`pull_request.number`), if any. */
async function pullRequestOfEvent(eventPath: string): Promise<number | undefined> {
  const info = await stat(eventPath).catch(() => undefined);
  if (!info?.isFile()) {
    throw new Error(`${gitHubEnvVars.eventPath} names no file: ${escapeLine(eventPath)}`);
  }
  if (info.size > maxEventFileBytes) {
    throw new Error(`the event file ${escapeLine(eventPath)} is over ${maxEventFileBytes} bytes`);
  }
  let event: unknown;
  try {
    event = JSON.parse(await readFile(eventPath, "utf8"));
  } catch {
    throw new Error(`the event file ${escapeLine(eventPath)} is not JSON`);
  }
  const number = (event as { pull_request?: { number?: unknown } } | null)?.pull_request?.number;
  return typeof number === "number" && Number.isSafeInteger(number) && number > 0
    ? number
    : undefined;
}

/**
 * The comment target of the running GitHub Actions job: `GITHUB_TOKEN`, `GITHUB_REPOSITORY`,
 * `GITHUB_API_URL` (GitHub Enterprise Server sets its own) and the pull request — `pullRequest`
 * when given (`--pr`), else the event file's `pull_request.number`. Each missing piece is named
 * with what to set; the token's value never appears in a message.
 */
export async function pullRequestTargetFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  pullRequest?: number,
): Promise<PullRequestTarget> {
  const token = env[gitHubEnvVars.token];
  if (token === undefined || token === "") {
    throw new Error(
      `${gitHubEnvVars.token} is not set: give the step \`env: ${gitHubEnvVars.token}: \${{ secrets.GITHUB_TOKEN }}\` (and \`permissions: pull-requests: write\`)`,
    );
  }
  const repository = env[gitHubEnvVars.repository];
  if (repository === undefined || repository === "") {
    throw new Error(
      `${gitHubEnvVars.repository} is not set (GitHub Actions sets it to "owner/repo"; elsewhere set it yourself)`,
    );
  }
  splitRepository(repository);
  let number = pullRequest;
  if (number === undefined) {
    const eventPath = env[gitHubEnvVars.eventPath];
    number = eventPath ? await pullRequestOfEvent(eventPath) : undefined;
  }
  if (number === undefined) {
    throw new Error(
      `no pull request number: pass --pr <n>, or run on a pull_request event (${gitHubEnvVars.eventPath}'s pull_request.number)`,
    );
  }
  if (!Number.isSafeInteger(number) || number <= 0) {
    throw new Error(`the pull request number must be a positive integer, got ${number}`);
  }
  const apiUrl = env[gitHubEnvVars.apiUrl];
  return {
    repository,
    pullRequest: number,
    token,
    ...(apiUrl === undefined || apiUrl === "" ? {} : { apiUrl }),
  };
}
