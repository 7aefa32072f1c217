import type { Verb } from "../verb.js";

/** `sitestack outputs`. */
export const outputsVerb: Verb = {
  register(program, { io, setExitCode }) {
    program
      .command("outputs")
      .summary("print a stack's outputs (secret outputs as [secret])")
      .description(
        "print the outputs of a stack as the engine has them, e.g. the ingress address to point DNS\n" +
          "at. Secret outputs are shown as [secret].\n\nExamples:\n  sitestack outputs site-acme\n  sitestack outputs acme --json",
      )
      .argument("<stack>", "stack or site name")
      .option("--json", "print JSON")
      .action(async (stack: string, flags: { json?: boolean }) => {
        const { runOutputs } = await import("../lifecycle/query.js");
        setExitCode(await runOutputs(stack, flags, io));
      });
  },
};
