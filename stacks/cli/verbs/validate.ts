import type { Verb } from "../verb.js";

/** `sitestack validate [paths…]`: checks site files without touching any stack. */
export const validateVerb: Verb = {
  register(program, { io, setExitCode }) {
    program
      .command("validate")
      .description(
        "check site files (YAML syntax, schema, cross-file rules); exit 0 when all are valid, 2 when any is invalid",
      )
      .argument("[paths...]", "site files or folders of site files", [])
      .option("--json", "print one JSON document with every file and problem")
      .action(async (paths: string[], options: { json?: boolean }) => {
        const { runValidate } = await import("../../validate/command.js");
        setExitCode(await runValidate(paths, { json: options.json === true }, io));
      });
  },
};
