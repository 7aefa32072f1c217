import type { Command } from "commander";
import type { Verb, VerbContext } from "../verb.js";
import { ciPlanCommand } from "./ci-plan.js";
import { ciChangesCommand } from "./ci-changes.js";
import { ciApplyCommand } from "./ci-apply.js";
import { ciReviewCommand } from "./ci-review.js";

/**
 * One subcommand of `sitestack ci`, in its own file beside this one (`ci-plan.ts`, `ci-apply.ts`,
 * `ci-review.ts`): it adds its command to the group. Like every verb, it only declares the
 * command; its action imports the implementation when it runs.
 */
export type CiSubcommand = (group: Command, context: VerbContext) => void;

/** The subcommands of `sitestack ci`, in help order. A new one is a file here plus one line. */
const subcommands: readonly CiSubcommand[] = [
  ciPlanCommand,
  ciChangesCommand,
  ciApplyCommand,
  ciReviewCommand,
];

/** `sitestack ci …`: the pull request and main-branch pipeline (see docs/ci.md). */
export const ciVerb: Verb = {
  register(program, context) {
    const group = program
      .command("ci")
      .summary("the PR pipeline: plan a pull request, apply the main branch (see docs/ci.md)")
      .description(
        "The pull request and main-branch pipeline: `ci plan` validates every site file and previews what a pull request changes; `ci changes` lists the changed sites as a CI matrix; `ci apply` applies them on the main branch (deletions only with approval); `ci review` runs a pull request's review staging.",
      );
    for (const add of subcommands) add(group, context);
  },
};
