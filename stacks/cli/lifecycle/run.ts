import { exitCodeOf } from "../../errors.js";
import { describeBackend } from "../../manager/backend/describe.js";
import { escapeLine } from "../../escape.js";
import { runFleet, type FleetRow } from "../../manager/fleet.js";
import type { OperationOutcome } from "../../manager/manager.js";
import type { StackTarget } from "../../manager/target.js";
import type { PlatformSettings } from "../../platform/settings.js";
import type { SiteSpec } from "../../site-model/index.js";
import { nextStepsOf } from "../../program/next-steps.js";
import { platformFromEnv } from "../../platform/env.js";
import type { LifecycleVerb } from "../../manager/status.js";
import { confirmDestructive } from "./confirm.js";
import type { LifecycleFlags } from "./options.js";
import type { CliIo } from "../../io.js";
import { processIo } from "../../io.js";
import { createReporter, outputModeOf, type ReportRow } from "./reporter.js";
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
      const verb = `sitestack ${definition.verb}`;
      throw new SelectionInvalid(
        [
          specVerbs.has(definition.verb)
            ? `${definition.verb} needs site files or stacks to work on: \`${verb} sites/acme.yaml\`, \`${verb} --all\` (every file in sites/) or \`${verb} --selector team=shops\``
            : `${definition.verb} needs stacks to work on: \`${verb} site-acme\` (or the site name, acme), \`${verb} --all\` (every stack in the backend)${definition.expired === true ? `, \`${verb} --expired\` (stagings past their ttl)` : ""} or \`${verb} --selector team=shops\``,
        ],
        "command-line",
      );
    }
    const { siteStackManager } = await import("../../site-stacks.js");
    const manager = siteStackManager({ env: io.env });
    const targets = await resolveTargets(
      {
        operands,
        all: flags.all === true,
        ...(flags.selector === undefined ? {} : { selector: flags.selector }),
        ...(flags.expired === true ? { expired: true } : {}),
        sitesDir: flags.sitesDir ?? "sites",
        backend: {
          backend: describeBackend(manager.settings, io.env),
          embeddedDefaultBackend: manager.settings.embeddedDefaultBackend,
        },
      },
      () => manager.list(),
      specVerbs.has(definition.verb),
    );
    if (targets.length === 0) {
      throw new SelectionInvalid(
        [
          flags.expired === true
            ? "no staging in the backend is past its ttl: nothing to clean up (`sitestack list` shows each one's ttl)"
            : `no stack matches the selection${flags.selector === undefined ? "" : ` ${escapeLine(flags.selector)}`}: \`sitestack list\` shows the stacks and their labels`,
        ],
        "command-line",
      );
    }
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
    reporter.finish(withNextSteps(rows, targets, platformFromEnv(io.env)));
    const failure = rows.find((row) => row.result === "failed")?.error;
    return failure === undefined ? 0 : exitCodeOf(failure);
  } catch (error) {
    return reportFatal(error, mode, err, out);
  }
}

/**
 * The rows with what each site admin must do next after a `preview` or `up` that left the site
 * active (an archived site serves nothing, so it has no next steps but `restore`).
 */
function withNextSteps(
  rows: readonly FleetRow<OperationOutcome>[],
  targets: readonly StackTarget<SiteSpec>[],
  platform: PlatformSettings,
): ReportRow[] {
  return rows.map((row) => {
    const outcome = row.outcome;
    const target = targets.find((candidate) => candidate.stack === row.stack);
    if (
      outcome === undefined ||
      target === undefined ||
      outcome.status === "Archived" ||
      (outcome.verb !== "preview" && outcome.verb !== "up")
    ) {
      return row;
    }
    const nextSteps = nextStepsOf(target.spec, {
      stack: row.stack,
      verb: outcome.verb,
      outputs: outcome.outputs,
      platform,
    });
    return nextSteps === undefined ? row : { ...row, nextSteps };
  });
}

/** Whether the CLI writes to a real terminal (live progress makes sense only there). */
export function isTerminal(io: CliIo): boolean {
  return io.stdout === processIo.stdout && process.stdout.isTTY === true;
}
