import { Option } from "commander";
import { concurrencyOption } from "../lifecycle/options.js";
import type { CiSubcommand } from "./ci.js";

/** `sitestack ci apply`: apply on the main branch exactly what changed between two commits. */
export const ciApplyCommand: CiSubcommand = (group, { io, setExitCode }) => {
  group
    .command("apply")
    .summary("up the sites whose files changed between two commits; deletions only with approval")
    .description(
      "Runs `up` on every site file added, changed or renamed between --base and --head (a changed chart counts for its stagings). A deleted site file destroys nothing by itself: its stack is cleaned up only when a commit message in the range has the line `Sitestack-Destroy: <site>`; without it the deletion is refused (exit 2) and listed. Stacks with no site file (orphans) are reported, never touched. Each operation waits for the stack's lock, so pipelines on one stack run one after the other.",
    )
    .requiredOption("--base <ref>", "the commit before the change (github.event.before)")
    .option("--head <ref>", "the commit to apply; must be the checked-out one", "HEAD")
    .addOption(new Option("--site <name...>", "only these sites (one CI matrix job per site)"))
    .option("--sites-dir <dir>", "the sites folder", "sites")
    .option("--out <file>", "also write the Markdown summary to this file")
    .option("--json", "print the report as JSON instead of the Markdown summary")
    .addOption(concurrencyOption())
    .addHelpText(
      "after",
      `
The summary also goes to the job summary ($GITHUB_STEP_SUMMARY) in GitHub Actions.
Exit codes: 0 applied; 2 invalid site files, or a deletion refused for want of approval;
3/4/5/6 the first failed operation's code (docs/cli.md).

Examples:
  sitestack ci apply --base "$BEFORE_SHA" --out apply.md
  sitestack ci apply --base "$BEFORE_SHA" --site acme --json`,
    )
    .action(
      async (flags: {
        base: string;
        head?: string;
        site?: string[];
        sitesDir?: string;
        out?: string;
        json?: boolean;
        concurrency?: string;
      }) => {
        const { runCiApplyCommand } = await import("../../ci/apply-command.js");
        setExitCode(await runCiApplyCommand(flags, io));
      },
    );
};
