import type { Verb } from "../verb.js";

/** `sitestack validate [paths…]`: checks site files without touching any stack. */
export const validateVerb: Verb = {
  register(program, { io, setExitCode }) {
    program
      .command("validate")
      .description(
        "check site files (YAML syntax, schema, cross-file rules); exit 0 when all are valid, 2 when any is invalid",
      )
      .argument("[paths...]", "site files, or folders of *.yaml/*.yml site files (default: sites/)")
      .option("--json", "print one JSON document with every file and problem")
      .addHelpText(
        "after",
        `
Each problem is printed as file:line:col: field.path: message. Inside GitHub Actions
(GITHUB_ACTIONS=true) each is also printed as an ::error annotation (on stderr with --json).
Exit codes: 0 all valid, 2 any invalid, 1 validation could not run (missing path, internal error).

Examples:
  sitestack validate
  sitestack validate sites/acme.yaml --json`,
      )
      .action(async (paths: string[], options: { json?: boolean }) => {
        const { runValidate } = await import("../../validate/command.js");
        setExitCode(await runValidate(paths, { json: options.json === true }, io));
      });
  },
};
