import type { Verb } from "../verb.js";

/** `sitestack list`. */
export const listVerb: Verb = {
  register(program, { io, setExitCode }) {
    program
      .command("list")
      .summary("list every stack in the backend with its status")
      .description(
        "list every stack in the backend with its kind, status and last operation, read from the\n" +
          "backend's records (no engine call; a local cache saves re-reading unchanged stacks).\n\nExamples:\n  sitestack list\n  sitestack list --selector team=shop --json",
      )
      .option("-l, --selector <k=v,…>", "only stacks whose labels match")
      .option("--json", "print JSON")
      .action(async (flags: { json?: boolean; selector?: string }) => {
        const { runStatus } = await import("../lifecycle/query.js");
        setExitCode(await runStatus([], flags, io));
      });
  },
};
