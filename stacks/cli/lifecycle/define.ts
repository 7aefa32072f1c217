import type { Verb } from "../verb.js";
import { addOperationOptions, addSelectionOptions, type LifecycleFlags } from "./options.js";
import type { LifecycleVerbDefinition } from "./run.js";

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
