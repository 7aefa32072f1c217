import { InvalidArgumentError, type Command } from "commander";

/**
 * The `sitestack ci` command group (`ci plan`, `ci apply`, `ci changes`, `ci review`): each
 * subcommand's verb file attaches to the one group, whichever registers first creating it, so
 * the verb files stay independent of each other.
 */
export function ciCommand(program: Command): Command {
  return (
    program.commands.find((command) => command.name() === "ci") ??
    program
      .command("ci")
      .summary("the pull request and main-branch pipeline (plan, apply, review stagings)")
      .description(
        "The pull request and main-branch pipeline: see docs/ci.md. Each subcommand has its own --help.",
      )
  );
}

/** Parses a positive whole number option (`--pr 42`). */
export function positiveInteger(name: string): (value: string) => number {
  return (value) => {
    if (!/^[1-9][0-9]{0,9}$/.test(value)) {
      throw new InvalidArgumentError(`${name} must be a whole number ≥ 1, got "${value}"`);
    }
    return Number(value);
  };
}
