import { InvalidArgumentError, Option, type Command } from "commander";

/** The options every lifecycle verb takes. */
export interface LifecycleFlags {
  readonly all?: boolean;
  readonly selector?: string;
  readonly json?: boolean;
  readonly yes?: boolean;
  readonly wait?: boolean;
  readonly concurrency?: string;
  readonly failFast?: boolean;
  readonly diff?: boolean;
  readonly sitesDir?: string;
  readonly expired?: boolean;
}

/** Adds the selection and output options shared by the lifecycle verbs. */
export function addSelectionOptions(command: Command): Command {
  return command
    .argument("[targets...]", "site files, folders of site files, or stack names (site-acme, acme)")
    .option(
      "--all",
      "every site file in the sites folder (preview, up) or every stack in the backend",
    )
    .option("-l, --selector <k=v,…>", "only stacks whose labels match (team=shop,tier!=gold)")
    .addOption(new Option("--sites-dir <dir>", "the sites folder used by --all").default("sites"))
    .option("--json", "one JSON object per line (events, then a summary) instead of text");
}

/** Adds the options of verbs that run operations. */
export function addOperationOptions(command: Command): Command {
  return command
    .option("--wait", "wait for another operation holding the stack's lock instead of failing")
    .addOption(concurrencyOption())
    .option("--fail-fast", "stop starting stacks after the first failure");
}

/** `-c, --concurrency <n>`: how many stacks run at once (default 2), a whole number ≥ 1. */
export function concurrencyOption(): Option {
  return new Option("-c, --concurrency <n>", "how many stacks run at once")
    .default("2")
    .argParser((v) => {
      if (!/^[1-9][0-9]*$/.test(v))
        throw new InvalidArgumentError(`--concurrency must be a whole number ≥ 1, got "${v}"`);
      return v;
    });
}

/** Parses a whole-number option from 1 to `max` (`--pr`, `--concurrency`). */
export function positiveInteger(what: string, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1 || number > max) {
      throw new InvalidArgumentError(`${what} must be a whole number from 1 to ${max}`);
    }
    return number;
  };
}
