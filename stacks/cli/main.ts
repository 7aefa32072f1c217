import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { exitCodeOf } from "../errors.js";
import { processIo, type CliIo } from "../io.js";
import { speedUpStartup } from "./startup.js";
import { verbs } from "./verbs/index.js";

function packageVersion(): string {
  try {
    const manifest = new URL("../../../package.json", import.meta.url);
    return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/**
 * Runs the `sitestack` CLI with `args` (without the node and script paths) and returns the exit code
 * instead of exiting, so tests can run it in-process. Typed errors map to exit codes through
 * `stacks/errors.ts`; anything else is an internal error (exit 1).
 */
export async function runCli(args: readonly string[], io: CliIo = processIo): Promise<number> {
  let exitCode = 0;
  const program = new Command("sitestack")
    .description(
      "Infrastructure as code for many small web properties: one YAML file per site, one stack per file.",
    )
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) })
    .showHelpAfterError("(run `sitestack --help` for usage)");
  const context = { io, setExitCode: (code: number) => void (exitCode = code) };
  for (const verb of verbs) verb.register(program, context);

  try {
    await program.parseAsync([...args], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const message = error instanceof Error ? error.message : String(error);
    const code = exitCodeOf(error);
    io.stderr(code === 1 ? `sitestack: internal error: ${message}\n` : `sitestack: ${message}\n`);
    return code;
  }
  return exitCode;
}

/** The `sitestack` executable (bin/sitestack.js): runs the CLI on the process's arguments. */
export async function main(): Promise<void> {
  speedUpStartup();
  process.exitCode = await runCli(process.argv.slice(2));
}
