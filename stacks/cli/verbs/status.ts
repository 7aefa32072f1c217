import type { Verb } from "../verb.js";

/** `sitestack status`. */
export const statusVerb: Verb = {
  register(program, { io, setExitCode }) {
    program
      .command("status")
      .summary("show the status, last operation, holder and outputs of stacks")
      .description(
        "show the status of stacks (Running, Failure, CreatePending, UpdatePending, DeletePending,\n" +
          "Archived), the last operation and when it ran, who holds the stack while an operation is in\n" +
          "flight, and the outputs (secret outputs as [secret]). Reads the backend's records directly (the\n" +
          "engine's checkpoint, history and lock): no engine call, the same answer on every machine.\n" +
          "An operation whose holder died shows as Failure.\n\nExamples:\n  sitestack status site-acme\n  sitestack status --json",
      )
      .argument("[stacks...]", "stack or site names; every stack in the backend when none")
      .option("-l, --selector <k=v,…>", "only stacks whose labels match")
      .option("--json", "print JSON")
      .action(async (stacks: string[], flags: { json?: boolean; selector?: string }) => {
        const { runStatus } = await import("../lifecycle/query.js");
        setExitCode(await runStatus(stacks, flags, io));
      });
  },
};
