import { existsSync } from "node:fs";
import { join } from "node:path";
import { reviewPullRequestLabel, stackNameOf } from "../contract.js";
import { exitCodeOf, ValidationFailed } from "../errors.js";
import { escapeLine, escapeMarkdown } from "../escape.js";
import type { ManagerEvent } from "../manager/events.js";
import type { OperationOptions, StackManager } from "../manager/manager.js";
import type { StackStatus } from "../manager/status.js";
import {
  loadSiteFile,
  parseSiteText,
  type SiteSpec,
  type StagingSpec,
} from "../site-model/index.js";
import { recordTarget, siteTarget } from "../site-target.js";
import {
  upsertPullRequestComment,
  type PullRequestTarget,
  type UpsertCommentResult,
} from "./github-comment.js";

/**
 * Review stagings (Pulumi Deployments' review stacks, seed 004's per-feature QA stagings): one
 * staging per pull request, made from a staging template file with the PR's image tag, updated on
 * every push, cleaned up when the PR closes, with a TTL as the safety net when the close event is
 * missed. A review staging has no file in `sites/`: its spec is generated here and recorded by the
 * manager as the stack's last applied spec, and the label `sitestack/review-pr: "<n>"` marks it,
 * so the orphan report leaves it out and `--close` never touches a stack that is not one.
 */

/** The hidden marker of the review staging's PR comment (the plan has its own). */
export const reviewCommentMarker = "<!-- sitestack:review -->";

/** The TTL of a review staging when neither `--ttl` nor the template gives one. */
export const defaultReviewTtl = "7d";

/** The site name of a PR's review staging: `pr-<n>` (stack `staging-pr-<n>`). */
export function reviewStagingName(pullRequest: number): string {
  return `pr-${pullRequest}`;
}

/** What the review staging is made from. */
export interface ReviewStagingInput {
  readonly pullRequest: number;
  /** The image tag to deploy (the PR's build). */
  readonly tag: string;
  /** @default - the template's `ttl`, else {@link defaultReviewTtl} */
  readonly ttl?: string;
}

/**
 * The review staging's spec from a template staging (pure, validated like a site file): named
 * `pr-<n>`, labelled `sitestack/review-pr: "<n>"`, the PR's tag in place of the template's, a TTL,
 * and the template's `values.ingress.host` dropped, so each PR answers on its own host
 * (`pr-<n>.staging.<testDomainBase>`) instead of sharing the template's.
 * @throws ValidationFailed when the result is not a valid staging (say, a tag with a space).
 */
export function reviewStagingSpec(
  template: StagingSpec,
  input: ReviewStagingInput,
  templateFile: string,
): StagingSpec {
  const values = structuredClone(template.spec.values) as Record<string, unknown>;
  const ingress = values.ingress;
  if (ingress !== null && typeof ingress === "object" && "host" in ingress) {
    delete (ingress as Record<string, unknown>).host;
  }
  const document = {
    ...template,
    metadata: {
      ...template.metadata,
      name: reviewStagingName(input.pullRequest),
      labels: { ...template.metadata.labels, [reviewPullRequestLabel]: String(input.pullRequest) },
    },
    spec: {
      ...template.spec,
      values,
      tag: input.tag,
      ttl: input.ttl ?? template.spec.ttl ?? defaultReviewTtl,
    },
  };
  const parsed = parseSiteText(
    JSON.stringify(document),
    `review staging of PR #${input.pullRequest} (from ${templateFile})`,
    { matchFileName: false },
  );
  if (!parsed.ok) throw new ValidationFailed(parsed.problems);
  return parsed.spec as StagingSpec;
}

/** What `ci review` needs from the manager. */
export type ReviewManager = Pick<StackManager<SiteSpec>, "up" | "cleanup" | "list">;

/** Options of {@link ciReview}. */
export interface CiReviewOptions {
  readonly repoDir: string;
  readonly pullRequest: number;
  /** `open` creates or updates the staging (needs `tag`); `close` cleans it up. */
  readonly action: "open" | "close";
  readonly tag?: string;
  /** The staging template, relative to `repoDir`. */
  readonly template?: string;
  readonly ttl?: string;
  /** @default "sites" */
  readonly sitesDir?: string;
  readonly manager: ReviewManager;
  /** Where the PR comment goes; none: no comment (`--no-comment`). */
  readonly comment?: PullRequestTarget;
  /** @default 1_800_000 */
  readonly waitTimeoutMs?: number;
  readonly onEvent?: (event: ManagerEvent) => void;
}

/** What `ci review` did. */
export interface ReviewResult {
  readonly pullRequest: number;
  readonly site: string;
  readonly stack: string;
  /** `up` created or updated it; `cleanup` removed it; `none`: closed with no staging there. */
  readonly action: "up" | "cleanup" | "none";
  readonly result: "succeeded" | "failed";
  readonly tag?: string;
  readonly status?: StackStatus;
  readonly urls: readonly string[];
  readonly ingressAddress?: string;
  readonly ttl?: string;
  readonly message?: string;
  readonly comment?: UpsertCommentResult;
  readonly exitCode: number;
}

function refusal(message: string): ValidationFailed {
  const failure = new ValidationFailed([
    { file: "<command line>", line: 1, col: 1, path: "", message },
  ]);
  failure.message = message;
  return failure;
}

async function loadTemplate(repoDir: string, template: string): Promise<StagingSpec> {
  const loaded = await loadSiteFile(join(repoDir, template));
  if (!loaded.ok) throw new ValidationFailed(loaded.problems);
  if (loaded.spec.kind !== "Staging") {
    throw refusal(
      `--template ${escapeLine(template)} is a ${loaded.spec.kind}; a review staging needs a Staging site file (like sites/pr-42.yaml)`,
    );
  }
  return loaded.spec;
}

/**
 * Creates, updates or cleans up a PR's review staging, then creates or updates the PR's review
 * comment (also after a failed operation, saying so). Waits for the stack's lock, so a push that
 * arrives while the last one still deploys runs after it.
 * @throws ValidationFailed for a bad template or tag, or a stack of that name that is no review
 *   staging of this PR (a site file `sites/pr-<n>.yaml` owns it, or its label says otherwise).
 */
export async function ciReview(options: CiReviewOptions): Promise<ReviewResult> {
  const site = reviewStagingName(options.pullRequest);
  const stack = stackNameOf({ kind: "Staging", metadata: { name: site } });
  const sitesDir = options.sitesDir ?? "sites";
  for (const extension of ["yaml", "yml"]) {
    const file = join(sitesDir, `${site}.${extension}`);
    if (existsSync(join(options.repoDir, file))) {
      throw refusal(
        `${file} is a site file of its own and owns ${stack}: its review staging would overwrite it; rename that site file or leave PR #${options.pullRequest} without a review staging`,
      );
    }
  }
  const existing = (await options.manager.list()).find((report) => report.stack === stack);
  const label = existing?.labels[reviewPullRequestLabel];
  if (existing !== undefined && label !== String(options.pullRequest)) {
    throw refusal(
      `${stack} exists but is not the review staging of PR #${options.pullRequest} (label ${reviewPullRequestLabel} is ${label === undefined ? "missing" : `"${escapeLine(label)}"`}): left as it is`,
    );
  }
  const operation: OperationOptions = {
    wait: true,
    ...(options.waitTimeoutMs === undefined ? {} : { waitTimeoutMs: options.waitTimeoutMs }),
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  };

  let result: Omit<ReviewResult, "comment">;
  if (options.action === "open") {
    if (options.tag === undefined)
      throw refusal("--tag is needed to create or update a review staging");
    if (options.template === undefined)
      throw refusal("--template is needed to create a review staging");
    const template = await loadTemplate(options.repoDir, options.template);
    const spec = reviewStagingSpec(
      template,
      {
        pullRequest: options.pullRequest,
        tag: options.tag,
        ...(options.ttl === undefined ? {} : { ttl: options.ttl }),
      },
      options.template,
    );
    const base = {
      pullRequest: options.pullRequest,
      site,
      stack,
      tag: spec.spec.tag,
      ttl: spec.spec.ttl,
    };
    try {
      const outcome = await options.manager.up(siteTarget(spec), operation);
      const urls = outcome.outputs.urls;
      const address = outcome.outputs.ingressAddress;
      result = {
        ...base,
        action: "up",
        result: "succeeded",
        ...(outcome.status === undefined ? {} : { status: outcome.status }),
        urls: Array.isArray(urls)
          ? urls.filter((url): url is string => typeof url === "string")
          : [],
        ...(typeof address === "string" ? { ingressAddress: address } : {}),
        exitCode: 0,
      };
    } catch (error) {
      result = { ...base, ...failed(error), action: "up", urls: [] };
    }
  } else if (existing === undefined) {
    result = {
      pullRequest: options.pullRequest,
      site,
      stack,
      action: "none",
      result: "succeeded",
      urls: [],
      message: `no review staging ${stack} in the backend: nothing to clean up`,
      exitCode: 0,
    };
  } else {
    const base = {
      pullRequest: options.pullRequest,
      site,
      stack,
      action: "cleanup" as const,
      urls: [],
    };
    try {
      await options.manager.cleanup(recordTarget(existing), operation);
      result = { ...base, result: "succeeded", exitCode: 0 };
    } catch (error) {
      result = { ...base, ...failed(error) };
    }
  }
  if (options.comment === undefined) return result;
  const comment = await upsertPullRequestComment({
    ...options.comment,
    marker: reviewCommentMarker,
    body: renderReviewComment(result),
  });
  return { ...result, comment };
}

function failed(error: unknown): Pick<ReviewResult, "result" | "message" | "exitCode"> {
  return {
    result: "failed",
    message: error instanceof Error ? error.message : String(error),
    exitCode: exitCodeOf(error),
  };
}

// Only URLs of this plain shape become links; anything else is shown escaped, as text.
const plainUrl = /^https?:\/\/[a-z0-9.-]{1,253}(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~\/-]*)?$/;

function urlMarkdown(url: string): string {
  return plainUrl.test(url) ? `[${url}](${url})` : escapeMarkdown(url);
}

/** The review comment's Markdown (pure; the marker is added when it is posted). */
export function renderReviewComment(result: Omit<ReviewResult, "comment">): string {
  const lines = [
    `### Review staging ${escapeMarkdown(result.site)} (stack ${escapeMarkdown(result.stack)})`,
    "",
  ];
  if (result.action === "up" && result.result === "succeeded") {
    lines.push(
      `Deployed tag \`${result.tag ?? ""}\`: ${result.status ?? "status unknown"}.`,
      "",
      ...(result.urls.length === 0
        ? ["No URL was reported."]
        : result.urls.map((url) => `- ${urlMarkdown(url)}`)),
      ...(result.ingressAddress === undefined
        ? []
        : ["", `Ingress address: ${escapeMarkdown(result.ingressAddress)}`]),
      "",
      `Updated on every push; cleaned up when the pull request closes. TTL ${result.ttl ?? "none"}: \`sitestack cleanup --expired\` removes it if it is left untouched that long.`,
    );
  } else if (result.action === "up") {
    lines.push(
      `Deploying tag \`${result.tag ?? ""}\` failed (exit code ${result.exitCode}); the previous deployment, if any, is left as it was.`,
      "",
      ...(result.message ?? "unknown error")
        .split("\n")
        .slice(0, 20)
        .map((line) => `    ${escapeLine(line.slice(0, 300))}`),
      "",
      "The job log has the whole output.",
    );
  } else if (result.action === "cleanup" && result.result === "succeeded") {
    lines.push("Cleaned up: the pull request was closed. Nothing of the staging is left.");
  } else if (result.action === "cleanup") {
    lines.push(
      `Cleaning up failed (exit code ${result.exitCode}); the TTL's \`sitestack cleanup --expired\` will retry it, or run \`sitestack cleanup ${escapeMarkdown(result.stack)} --yes\`.`,
    );
  } else {
    lines.push("The pull request was closed; it had no review staging to clean up.");
  }
  return `${lines.join("\n")}\n`;
}
