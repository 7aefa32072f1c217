import type { Verb } from "../verb.js";

const help: Readonly<Record<string, [string, string]>> = {
  up: ["[files...]", "create or update stacks from site files on a commander"],
  preview: ["[files...]", "preview site files on a commander"],
  refresh: ["[stacks...]", "refresh stacks on a commander"],
  archive: ["[stacks...]", "archive stacks on a commander"],
  restore: ["[stacks...]", "restore stacks on a commander"],
  cleanup: ["[stacks...]", "delete everything of stacks on a commander (needs --yes)"],
  status: ["[stacks...]", "status of stacks"],
  list: ["", "every stack with its status"],
  outputs: ["[stacks...]", "outputs of stacks"],
  history: ["[stacks...]", "update history of stacks"],
  job: ["[id]", "a job with its log"],
};

/**
 * `sitestack remote <verb>`: the CLI's verbs against a commander (`--url` or SITESTACK_URL; the
 * token from SITESTACK_TOKEN only), with the CLI's exit codes.
 */
export const remoteVerb: Verb = {
  register(program, { io, setExitCode }) {
    const remote = program
      .command("remote")
      .summary("run verbs on a commander (sitestack serve) over HTTP")
      .description(
        "run verbs on a commander over HTTP: the token comes from SITESTACK_TOKEN (never a flag: command\n" +
          "lines are visible), the address from --url or SITESTACK_URL. Jobs are followed until they end;\n" +
          "the exit code is the CLI's (0 ok, 2 invalid, 3 not found, 4 locked, 5 failed). See docs/commander.md.\n\n" +
          "Examples:\n  SITESTACK_TOKEN=sst_… sitestack remote up sites/shop.yaml --url http://commander:7480\n" +
          "  sitestack remote list --selector team=shops",
      );
    for (const [verb, [args, summary]] of Object.entries(help)) {
      const command = remote.command(verb).description(summary);
      if (args !== "") command.argument(args, verb === "job" ? "job id" : "operands");
      command
        .option("--url <url>", "the commander, like https://commander:7480 (or SITESTACK_URL)")
        .option("--json", "print JSON")
        .option("--no-wait", "print the queued jobs and return")
        .option("-y, --yes", "confirm cleanup")
        .option("-l, --selector <k=v,…>", "list: only stacks whose labels match")
        .option("--cacert <file>", "the CA of the commander's certificate (PEM)")
        .option("--cert <file>", "mutual TLS: this client's certificate (PEM)")
        .option("--key <file>", "mutual TLS: this client's key (PEM)")
        .action(async (...values: unknown[]) => {
          const operands =
            args === ""
              ? []
              : ([values[0]].flat().filter((v) => typeof v === "string") as string[]);
          const flags = values[
            args === "" ? 0 : 1
          ] as import("../../commander/remote-command.js").RemoteFlags;
          const { runRemote } = await import("../../commander/remote-command.js");
          setExitCode(
            await runRemote(
              verb as import("../../commander/remote-command.js").RemoteVerb,
              operands,
              flags,
              io,
            ),
          );
        });
    }
  },
};
