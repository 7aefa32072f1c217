import type { Verb } from "../verb.js";

/** `sitestack history`. */
export const historyVerb: Verb = {
  register(program, { io, setExitCode }) {
    program
      .command("history")
      .summary("print a stack's update history")
      .description(
        "print the engine's record of a stack's updates, newest first: kind, result, start time,\n" +
          "duration and resource changes.\n\nExamples:\n  sitestack history site-acme --limit 5",
      )
      .argument("<stack>", "stack or site name")
      .option("--limit <n>", "how many entries", "20")
      .option("--json", "print JSON")
      .action(async (stack: string, flags: { json?: boolean; limit?: string }) => {
        const { runHistory } = await import("../lifecycle/query.js");
        setExitCode(await runHistory(stack, flags, io));
      });
  },
};
