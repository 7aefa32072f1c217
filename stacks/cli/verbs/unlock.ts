import type { Verb } from "../verb.js";

/** `sitestack unlock`. */
export const unlockVerb: Verb = {
  register(program, { io, setExitCode }) {
    program
      .command("unlock")
      .summary("clear a stack's lock when its holder is gone")
      .description(
        "remove the engine lock of a stack whose holder is provably gone (it ran on this host and its\n" +
          "process no longer exists). A holder that may still be running is named and its lock kept\n" +
          "(exit 4). Lifecycle verbs already do this for dead holders before they start.\n\nExamples:\n  sitestack unlock site-acme",
      )
      .argument("<stack>", "stack or site name")
      .option("--json", "print JSON")
      .action(async (stack: string, flags: { json?: boolean }) => {
        const { runUnlock } = await import("../lifecycle/query.js");
        setExitCode(await runUnlock(stack, flags, io));
      });
  },
};
