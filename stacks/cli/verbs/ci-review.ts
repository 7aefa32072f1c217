import type { CiSubcommand } from "./ci.js";
import { positiveInteger } from "../lifecycle/options.js";

/** `sitestack ci review`: a pull request's review staging, created, updated and cleaned up. */
export const ciReviewCommand: CiSubcommand = (group, { io, setExitCode }) => {
  group
    .command("review")
    .summary("create or update a pull request's review staging, or clean it up (--close)")
    .description(
      "Creates or updates the staging pr-<n> (stack staging-pr-<n>) from a staging template file with the pull request's image tag and a TTL, labelled sitestack/review-pr=<n>, then creates or updates the pull request's review comment with its URLs. --close cleans it up and says so in the comment. The staging has no site file: its spec lives in the backend as the stack's last applied spec.",
    )
    .requiredOption("--pr <n>", "the pull request's number", positiveInteger("--pr", 2 ** 31))
    .option("--tag <tag>", "the image tag to deploy (needed unless --close)")
    .option("--template <file>", "the Staging site file to copy (e.g. sites/pr-42.yaml)")
    .option("--close", "clean the review staging up (the pull request was closed)")
    .option("--ttl <duration>", "time to live, like 72h or 7d (default: the template's, else 7d)")
    .option("--no-comment", "do not create or update the pull request comment")
    .option("--sites-dir <dir>", "the sites folder (a site file pr-<n>.yaml there wins)", "sites")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      `
The comment needs GITHUB_TOKEN (pull-requests: write) and GITHUB_REPOSITORY in the environment,
and GITHUB_API_URL on GitHub Enterprise Server. Secret values of the template's references come
from SITESTACK_SECRET_<NAME> or the stack's config, as for \`sitestack up\`.
Exit codes: 0 done; 2 bad template, tag or a stack that is no review staging of this PR;
3/4/5/6 the failed operation's code (docs/cli.md); 1 the comment could not be posted.

Examples:
  sitestack ci review --pr 7 --tag 0.4.0-pr.7 --template sites/pr-42.yaml
  sitestack ci review --pr 7 --close`,
    )
    .action(
      async (flags: {
        pr: number;
        tag?: string;
        template?: string;
        close?: boolean;
        ttl?: string;
        comment?: boolean;
        sitesDir?: string;
        json?: boolean;
      }) => {
        const { runCiReviewCommand } = await import("../../ci/review-command.js");
        setExitCode(await runCiReviewCommand(flags, io));
      },
    );
};
