import { Option } from "commander";
import type { Verb } from "../verb.js";

/** `sitestack serve`: the commander (HTTP API, job queue, workers), and its tokens. */
export const serveVerb: Verb = {
  register(program, { io, setExitCode }) {
    const serve = program
      .command("serve")
      .summary("run the commander: HTTP API, PostgreSQL job queue and workers")
      .description(
        "run the commander: an HTTP API other services use to create and operate stacks, a durable\n" +
          "job queue on PostgreSQL and workers that run the jobs through the stack manager. Without\n" +
          "DATABASE_URL a private PostgreSQL is started under .sitestack/postgres/. See docs/commander.md.\n\n" +
          "Examples:\n  sitestack serve token create ci --scopes read,preview\n  sitestack serve --workers 4\n" +
          "  DATABASE_URL=postgres://… sitestack serve --no-api",
      )
      .addOption(new Option("--host <address>", "address of the API").default("127.0.0.1"))
      .addOption(new Option("--port <port>", "port of the API").default("7480"))
      .addOption(new Option("--workers <n>", "jobs this process runs at once").default("2"))
      .option("--no-api", "run workers only")
      .option(
        "--database-url <url>",
        "the shared database (prefer DATABASE_URL: flags are visible)",
      )
      .addOption(
        new Option("--audit-retention <age>", "keep audit rows and job logs this long").default(
          "90d",
        ),
      )
      .addOption(new Option("--rate-limit <n>", "requests per minute per token").default("600"))
      .addOption(
        new Option(
          "--job-heartbeat <seconds>",
          "a job's worker counts as dead after this long silent",
        ).default("30"),
      )
      .option("--tls-cert <file>", "serve HTTPS with this certificate (PEM)")
      .option("--tls-key <file>", "the certificate's key (PEM)")
      .option("--tls-client-ca <file>", "mutual TLS: require client certificates signed by this CA")
      .action(async (flags: import("../../commander/serve-command.js").ServeFlags) => {
        const { runServe } = await import("../../commander/serve-command.js");
        setExitCode(await runServe(flags, io));
      });
    const token = serve.command("token").description("manage the commander's API tokens");
    token
      .command("create")
      .argument("<name>", "the token's name, like ci-bot")
      .requiredOption("--scopes <list>", "read, preview, change, destroy, admin (comma-separated)")
      .option("--database-url <url>", "the shared database (prefer DATABASE_URL)")
      .description("create a token and print it once")
      .action(async (name: string, flags: { scopes: string; databaseUrl?: string }) => {
        const { runToken } = await import("../../commander/serve-command.js");
        setExitCode(await runToken("create", name, flags, io));
      });
    token
      .command("list")
      .option("--database-url <url>", "the shared database (prefer DATABASE_URL)")
      .description("list tokens with their scopes")
      .action(async (flags: { databaseUrl?: string }) => {
        const { runToken } = await import("../../commander/serve-command.js");
        setExitCode(await runToken("list", undefined, flags, io));
      });
    token
      .command("revoke")
      .argument("<name>", "the token to remove")
      .option("--database-url <url>", "the shared database (prefer DATABASE_URL)")
      .description("remove a token")
      .action(async (name: string, flags: { databaseUrl?: string }) => {
        const { runToken } = await import("../../commander/serve-command.js");
        setExitCode(await runToken("revoke", name, flags, io));
      });
  },
};
