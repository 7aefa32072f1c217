import { InvalidArgumentError, Option } from "commander";
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
      .addOption(
        new Option("--limit <n>", "how many entries").default("20").argParser((value) => {
          if (!/^[1-9][0-9]*$/.test(value)) {
            throw new InvalidArgumentError(`--limit must be a whole number ≥ 1, got "${value}"`);
          }
          return value;
        }),
      )
      .option("--json", "print JSON")
      .action(async (stack: string, flags: { json?: boolean; limit?: string }) => {
        const { runHistory } = await import("../lifecycle/query.js");
        setExitCode(await runHistory(stack, flags, io));
      });
  },
};
