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
          "flight, and the outputs (secret outputs as [secret]). Reads the registry only: no engine call.\n" +
          "An operation whose holder died shows as Failure.\n\nExamples:\n  sitestack status site-acme\n  sitestack status --json",
      )
      .argument("[stacks...]", "stack or site names; every registered stack when none")
      .option("-l, --selector <k=v,…>", "only stacks whose labels match")
      .option("--json", "print JSON")
      .action(async (stacks: string[], flags: { json?: boolean; selector?: string }) => {
        const { runStatus } = await import("../lifecycle/query.js");
        setExitCode(await runStatus(stacks, flags, io));
      });
  },
};
