import type { Verb } from "../verb.js";

/** `sitestack list`. */
export const listVerb: Verb = {
  register(program, { io, setExitCode }) {
    program
      .command("list")
      .summary("list every registered stack with its status")
      .description(
        "list every registered stack with its kind, status and last operation, from the registry\n" +
          "(no engine call, no state file read).\n\nExamples:\n  sitestack list\n  sitestack list --selector team=shop --json",
      )
      .option("-l, --selector <k=v,…>", "only stacks whose labels match")
      .option("--json", "print JSON")
      .action(async (flags: { json?: boolean; selector?: string }) => {
        const { runStatus } = await import("../lifecycle/query.js");
        setExitCode(await runStatus([], flags, io));
      });
  },
};
