import type { Command } from "commander";
import type { CliIo } from "../io.js";

/** What a verb gets besides the program to attach its command to. */
export interface VerbContext {
  readonly io: CliIo;
  /** Sets the process exit code the verb ends with (0 unless set). */
  setExitCode(code: number): void;
}

/**
 * One CLI verb, in its own file under `stacks/cli/verbs/`. `register` only declares the command;
 * the action imports the verb's implementation lazily, so `sitestack --help` and light verbs never
 * load heavy modules (Pulumi's SDK takes longer to import than `validate` takes to run).
 */
export interface Verb {
  register(program: Command, context: VerbContext): void;
}
