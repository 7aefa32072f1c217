import { exitCodeOf } from "../../errors.js";
import { runFleet } from "../../manager/fleet.js";
import type { LifecycleVerb } from "../../manager/status.js";
import { confirmDestructive } from "./confirm.js";
import type { LifecycleFlags } from "./options.js";
import type { CliIo } from "../../io.js";
import { processIo } from "../../io.js";
import { createReporter, outputModeOf } from "./reporter.js";
import { reportFatal } from "./fatal.js";
import { resolveTargets, SelectionInvalid } from "./targets.js";

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

const specVerbs: ReadonlySet<LifecycleVerb> = new Set(["preview", "up"]);
/** The verbs that run a site's program (the others only talk to the engine). */
const programVerbs: ReadonlySet<LifecycleVerb> = new Set(["preview", "up", "archive", "restore"]);

/** Runs a lifecycle verb over the selected stacks; returns the exit code. */
export async function runLifecycleVerb(
  definition: LifecycleVerbDefinition,
  operands: readonly string[],
  flags: LifecycleFlags,
  io: CliIo = processIo,
): Promise<number> {
  const mode = outputModeOf(flags.json === true, isTerminal(io), io.env);
  const out = (text: string) => io.stdout(text);
  const err = (text: string) => io.stderr(text);
  try {
    if (
      operands.length === 0 &&
      flags.all !== true &&
      flags.selector === undefined &&
      flags.expired !== true
    ) {
      throw new SelectionInvalid([
        `${definition.verb}: name site files or stacks, or use --all or --selector`,
      ]);
    }
    const { loadSitePrograms, siteStackManager } = await import("../../site-stacks.js");
    if (programVerbs.has(definition.verb)) void loadSitePrograms();
    const manager = siteStackManager({ env: io.env });
    const targets = await resolveTargets(
      {
        operands,
        all: flags.all === true,
        ...(flags.selector === undefined ? {} : { selector: flags.selector }),
        ...(flags.expired === true ? { expired: true } : {}),
        sitesDir: flags.sitesDir ?? "sites",
      },
      () => manager.list(),
      specVerbs.has(definition.verb),
    );
    if (targets.length === 0) throw new SelectionInvalid(["no stack matches the selection"]);
    if (definition.destructive === true) {
      const go = await confirmDestructive(
        definition.verb,
        targets.map((t) => t.stack),
        flags.yes === true,
      );
      if (!go) {
        err(`${definition.verb} cancelled\n`);
        return 1;
      }
    }
    const reporter = createReporter(mode, out, flags.diff === true);
    const rows = await runFleet(
      targets,
      (target) =>
        manager.run(definition.verb, target, {
          wait: flags.wait === true,
          diff: flags.diff === true,
          onEvent: (event) => reporter.event(event),
        }),
      {
        concurrency: Number(flags.concurrency ?? "2"),
        failFast: flags.failFast === true,
      },
    );
    reporter.finish(rows);
    const failure = rows.find((row) => row.result === "failed")?.error;
    return failure === undefined ? 0 : exitCodeOf(failure);
  } catch (error) {
    return reportFatal(error, mode, err, out);
  }
}

/** Whether the CLI writes to a real terminal (live progress makes sense only there). */
export function isTerminal(io: CliIo): boolean {
  return io.stdout === processIo.stdout && process.stdout.isTTY === true;
}
