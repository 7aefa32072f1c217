import { gitText, resolveCommit } from "./git.js";

/**
 * The approval to destroy a site whose file a pull request deleted: a line
 * `Sitestack-Destroy: <site>` in a commit message between the base and the head of `ci apply`.
 * A git trailer, because it travels with the commits themselves whatever the forge and merge
 * method: a merge commit keeps the PR's commits in the range, GitHub's squash merge copies their
 * messages into the squash commit's body (bullet-prefixed, not in the last paragraph, so git's own
 * trailer parser would miss it — hence one line anywhere), and GitLab does the same. The reviewers
 * see the line in the PR before they approve it; a label could be added after review, by anyone
 * with triage rights, and would need the forge's API on the main branch.
 */

/** The trailer's key (matched without regard to case, as git matches trailer keys). */
export const destroyTrailer = "Sitestack-Destroy";

/** One approval found in a commit message. */
export interface DestroyApproval {
  /** The site (`acme`) or stack (`site-acme`) named. */
  readonly name: string;
  /** The commit whose message carries it. */
  readonly commit: string;
}

// One name per line, optionally after a Markdown bullet (GitHub's squash body lists commits as
// `* subject`); a site name is a DNS label, a stack name that with its prefix.
const trailerLine = new RegExp(
  `^[ \\t]*(?:[*-][ \\t]+)?${destroyTrailer}[ \\t]*:[ \\t]*([a-z0-9][a-z0-9-]{0,62})[ \\t]*$`,
  "gim",
);

/** The approvals in one commit message (pure). */
export function approvalsInMessage(message: string, commit: string): DestroyApproval[] {
  return [...message.matchAll(trailerLine)].map((match) => ({
    name: match[1]!.toLowerCase(),
    commit,
  }));
}

// Messages are read for the range only; a bound keeps a runaway range (a wrong --base) readable.
const maxCommits = 10_000;

/**
 * Every `Sitestack-Destroy:` approval in the messages of the commits in `base..head` (merge
 * commits and the commits they bring in included).
 * @throws GitRefInvalid when `base` or `head` names no commit.
 */
export async function destroyApprovals(options: {
  readonly repoDir: string;
  readonly base: string;
  readonly head?: string;
}): Promise<DestroyApproval[]> {
  const [base, head] = await Promise.all([
    resolveCommit(options.repoDir, "--base", options.base),
    resolveCommit(options.repoDir, "--head", options.head ?? "HEAD"),
  ]);
  // %H NUL %B RS per commit: a message may hold anything but NUL.
  const log = await gitText(options.repoDir, [
    "log",
    `--max-count=${maxCommits}`,
    "--format=%H%x00%B%x1e",
    `${base}..${head}`,
    "--",
  ]);
  return log
    .split("\x1e")
    .map((entry) => entry.replace(/^\n/, ""))
    .filter((entry) => entry.includes("\0"))
    .flatMap((entry) => {
      const [commit, message] = entry.split("\0") as [string, string];
      return approvalsInMessage(message, commit);
    });
}
