import type { CiSubcommand } from "./ci.js";

/** `sitestack ci changes`: the sites changed between two commits, as JSON and a CI matrix. */
export const ciChangesCommand: CiSubcommand = (group, { io, setExitCode }) => {
  group
    .command("changes")
    .summary("list the sites whose files changed between two commits, as JSON and a CI matrix")
    .description(
      "Lists the site files added, changed, renamed and deleted between the merge base of --base and --head (and the stagings of a changed chart) as one JSON document, with `matrix` ({include: [{site, stack, change}]}) for a CI matrix. In GitHub Actions it also writes the step outputs `matrix` and `count` to $GITHUB_OUTPUT. Touches no stack and needs no engine.",
    )
    .requiredOption("--base <ref>", "the commit to compare with (github.event.before on main)")
    .option("--head <ref>", "the commit to compare", "HEAD")
    .option("--sites-dir <dir>", "the sites folder", "sites")
    .addHelpText(
      "after",
      `
Exit codes: 0 listed; 2 a ref that names no commit or a folder that is no git checkout.

Examples:
  sitestack ci changes --base origin/main
  sitestack ci changes --base "$BEFORE_SHA" --head "$GITHUB_SHA"`,
    )
    .action(async (flags: { base: string; head?: string; sitesDir?: string }) => {
      const { runCiChangesCommand } = await import("../../ci/changes-command.js");
      setExitCode(await runCiChangesCommand(flags, io));
    });
};
