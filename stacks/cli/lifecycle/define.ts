import type { Verb } from "../verb.js";
import type { LifecycleVerb } from "../../manager/status.js";
import { addOperationOptions, addSelectionOptions, type LifecycleFlags } from "./options.js";

/** What a lifecycle verb is, for its command-line definition. */
export interface LifecycleVerbDefinition {
  readonly verb: LifecycleVerb;
  /** One line for `sitestack --help`. */
  readonly summary: string;
  /** The longer text of `sitestack <verb> --help`. */
  readonly help: string;
  /** Asks for confirmation (or `--yes`). */
  readonly destructive?: boolean;
  /** Offers `--diff`. */
  readonly diff?: boolean;
  /** Offers `--expired`: every staging in the backend past its `ttl`. */
  readonly expired?: boolean;
}

/**
 * A lifecycle verb (`preview`, `up`, `refresh`, `archive`, …) as a CLI verb. Declaring it loads only
 * commander; the action loads the stack manager (and Pulumi's SDK) when the verb runs.
 */
export function lifecycleVerb(definition: LifecycleVerbDefinition): Verb {
  return {
    register(program, { io, setExitCode }) {
      const command = program
        .command(definition.verb)
        .summary(definition.summary)
        .description(`${definition.summary}\n\n${definition.help}`);
      addSelectionOptions(command);
      addOperationOptions(command);
      if (definition.diff === true) {
        command.option("--diff", "also print the full property diff (secret values masked)");
      }
      if (definition.expired === true) {
        command.option(
          "--expired",
          "every staging in the backend past its ttl (see sitestack list)",
        );
      }
      if (definition.destructive === true)
        command.option("-y, --yes", "do not ask for confirmation");
      command.action(async (targets: string[], flags: LifecycleFlags) => {
        const { runLifecycleVerb } = await import("./run.js");
        setExitCode(await runLifecycleVerb(definition, targets, flags, io));
      });
    },
  };
}
