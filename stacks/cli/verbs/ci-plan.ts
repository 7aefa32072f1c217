import { positiveInteger } from "../lifecycle/options.js";
import type { CiSubcommand } from "./ci.js";

/** `sitestack ci plan --base <ref>`: validate everything, preview what a pull request changed. */
export const ciPlanCommand: CiSubcommand = (group, { io, setExitCode }) => {
  group
    .command("plan")
    .summary("validate every site file and preview the sites a pull request changes")
    .description(
      `Validates every site file, previews each site file the pull request adds, changes or renames
(and each staging whose chart changed) against the merge base with --base, lists what deleted
site files would destroy and the stacks with no site file, and writes the plan as Markdown and JSON.`,
    )
    .requiredOption("--base <ref>", "the branch the pull request goes into, e.g. origin/main")
    .option("--head <ref>", "the pull request's head; must be checked out", "HEAD")
    .option("--out <dir>", "where summary.md, summary-full.md and plan.json go", ".sitestack/plan")
    .option(
      "--concurrency <n>",
      "previews at once (default 2: each is an engine, a program host and a provider)",
      positiveInteger("--concurrency", 64),
    )
    .option("--json", "print plan.json on stdout")
    .option("--comment", "create or update the pull request's plan comment (GITHUB_TOKEN)")
    .option(
      "--pr <number>",
      "the pull request's number (default: from the GitHub event)",
      positiveInteger("--pr", 2 ** 31),
    )
    .option(
      "--artifact-name <name>",
      "the artifact the workflow uploads --out as, named in the summary",
    )
    .addHelpText(
      "after",
      `
Secret references with no value here (a fork's pull request gets no secrets) are previewed as
unknown values and named in the summary; \`up\` still refuses them. The summary fits GitHub's
comment limit; the whole text is in summary-full.md and, inside GitHub Actions, the job summary.
Exit codes: 0 planned, 2 invalid site files or refs, 5 a preview failed, 6 no engine, 1 internal.

Examples:
  sitestack ci plan --base origin/main
  sitestack ci plan --base origin/main --comment --artifact-name sitestack-plan`,
    )
    .action(
      async (options: {
        base: string;
        head: string;
        out: string;
        concurrency?: number;
        json?: boolean;
        comment?: boolean;
        pr?: number;
        artifactName?: string;
      }) => {
        const { runCiPlanCommand } = await import("../../ci/plan-command.js");
        setExitCode(await runCiPlanCommand(options, io));
      },
    );
};
