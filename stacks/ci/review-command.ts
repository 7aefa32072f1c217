import { reportFatal } from "../cli/lifecycle/fatal.js";
import { escapeLine } from "../escape.js";
import type { CliIo } from "../io.js";
import { pullRequestTargetFromEnv } from "./github-comment.js";
import { ciReview, renderReviewComment } from "./review.js";
import { progressLines } from "./progress.js";
import { publishSummary } from "./step-summary.js";

/** The flags of `sitestack ci review`. */
export interface CiReviewFlags {
  readonly pr: number;
  readonly tag?: string;
  readonly template?: string;
  readonly close?: boolean;
  readonly ttl?: string;
  /** False with `--no-comment`. */
  readonly comment?: boolean;
  readonly sitesDir?: string;
  readonly json?: boolean;
}

/**
 * Runs `sitestack ci review` in the current folder: progress on stderr, the comment's text (or the
 * result as JSON) on stdout and in the job summary. The PR comment's target is read from the
 * Actions environment before anything is deployed, so a missing token fails fast.
 */
export async function runCiReviewCommand(flags: CiReviewFlags, io: CliIo): Promise<number> {
  const err = (text: string) => io.stderr(text);
  try {
    const comment =
      flags.comment === false ? undefined : await pullRequestTargetFromEnv(io.env, flags.pr);
    const { loadSitePrograms, siteStackManager } = await import("../site-stacks.js");
    if (flags.close !== true) void loadSitePrograms();
    const result = await ciReview({
      repoDir: process.cwd(),
      pullRequest: flags.pr,
      action: flags.close === true ? "close" : "open",
      ...(flags.tag === undefined ? {} : { tag: flags.tag }),
      ...(flags.template === undefined ? {} : { template: flags.template }),
      ...(flags.ttl === undefined ? {} : { ttl: flags.ttl }),
      ...(flags.sitesDir === undefined ? {} : { sitesDir: flags.sitesDir }),
      ...(comment === undefined ? {} : { comment }),
      manager: siteStackManager({ env: io.env }),
      onEvent: progressLines(err),
    });
    const markdown = renderReviewComment(result);
    await publishSummary(markdown, { env: io.env });
    io.stdout(flags.json === true ? `${JSON.stringify(result, null, 2)}\n` : markdown);
    if (result.comment !== undefined) {
      err(`PR comment ${result.comment.action}: ${escapeLine(result.comment.url)}\n`);
    }
    return result.exitCode;
  } catch (error) {
    return reportFatal(error, flags.json === true ? "json" : "plain", err, (text) =>
      io.stdout(text),
    );
  }
}
