import { existsSync } from "node:fs";
import { StackNotFound } from "../../errors.js";
import { escapeLine } from "../../escape.js";
import { describeBackend } from "../../manager/backend/describe.js";
import { matchesSelector } from "../../manager/selector.js";
import { selectorRequirements, stackOfSiteFile } from "./targets.js";
import { openStatusView } from "../../manager/open-status.js";
import { resolveStateSettings } from "../../manager/settings.js";
import type { StackStatusReport, StatusView } from "../../manager/status-view.js";
import { describeHolder, resolveStackOperand } from "../../contract.js";
import type { CliIo } from "../../io.js";
import { missingStackMessage } from "./not-found.js";
import { reportFatal } from "./fatal.js";
import { formatDuration, renderTable } from "./table.js";
import { describeTtlStatus } from "../../manager/ttl.js";
import { stackTtlStatus } from "../../staging/ttl.js";

/** Flags of the read-only verbs. */
export interface QueryFlags {
  readonly json?: boolean;
  readonly selector?: string;
  readonly limit?: string;
}

/**
 * The stack an operand names (see `resolveStackOperand`): a deployed stack of that name, the stack
 * of the site file of that name in `sites/`, or a deployed stack of that site name.
 * @param deployedOnly Whether the stack must exist in the backend (every verb but `secret set`,
 * which may store a secret before the first `up`).
 * @throws StackNotFound when the operand names no stack (or, with `deployedOnly`, no deployed one).
 */
export async function stackOf(
  view: StatusView,
  operand: string,
  io: CliIo,
  deployedOnly = true,
): Promise<string> {
  const deployed = async (stack: string) => {
    try {
      await view.status(stack);
      return true;
    } catch (error) {
      if (error instanceof StackNotFound) return false;
      throw error;
    }
  };
  const stack = await resolveStackOperand(operand, {
    deployed,
    stackOfSiteFile: (site) => stackOfSiteFile("sites", site),
  });
  if (stack === undefined) {
    const notFound = await stackNotFound(view, operand, io);
    if (deployedOnly) throw notFound;
    // `secret set` before the first `up`: a secret belongs to a site, which needs its file.
    const file = `sites/${operand}.yaml`;
    throw new StackNotFound(
      operand,
      existsSync(file)
        ? `${escapeLine(file)} is not valid, so no stack can be named from it: \`sitestack validate ${escapeLine(file)}\` shows why`
        : `${notFound.message}: a secret belongs to a site, so write ${escapeLine(file)} first (or name an existing stack)`,
    );
  }
  if (deployedOnly && !(await deployed(stack))) throw await stackNotFound(view, operand, io);
  return stack;
}

/** A {@link StackNotFound} that says which backend was read, what it has, and what to run. */
async function stackNotFound(view: StatusView, operand: string, io: CliIo): Promise<StackNotFound> {
  const settings = resolveStateSettings(process.cwd(), {}, io.env);
  const stacks = await view.list().then(
    (reports) => reports.map((report) => report.stack),
    () => [],
  );
  return new StackNotFound(
    operand,
    missingStackMessage(operand, {
      backend: describeBackend(settings, io.env),
      embeddedDefaultBackend: settings.embeddedDefaultBackend,
      stacks,
      sitesDir: "sites",
    }),
  );
}

/**
 * The status view of the current project's backend: its objects read directly (no engine), or, for
 * a backend sitestack cannot read, the engine's own commands.
 */
async function currentView(io: CliIo): Promise<StatusView> {
  const projectDir = process.cwd();
  const direct = await openStatusView(
    resolveStateSettings(projectDir, {}, io.env),
    projectDir,
    io.env,
    stackTtlStatus,
  );
  if (direct !== undefined) return direct;
  const { siteStackManager } = await import("../../site-stacks.js");
  return siteStackManager({ env: io.env }).statusView();
}

function lastOperationCells(report: StackStatusReport, now: Date): string[] {
  const operation = report.lastOperation;
  const update = report.lastUpdate;
  if (operation === undefined && update === undefined) return ["-", "-", "-"];
  const when =
    operation !== undefined
      ? (operation.finishedAt ?? operation.startedAt)
      : (update?.endTime.toISOString() ?? "");
  const ago = formatDuration(now.getTime() - new Date(when).getTime());
  return operation !== undefined
    ? [operation.verb, operation.result, `${when} (${ago} ago)`]
    : [update?.kind ?? "-", update?.result ?? "-", `${when} (${ago} ago)`];
}

/** `sitestack status [stacks…]` and `sitestack list`: from the backend's records, no engine. */
export async function runStatus(
  operands: readonly string[],
  flags: QueryFlags,
  io: CliIo,
): Promise<number> {
  try {
    const view = await currentView(io);
    const requirements = selectorRequirements(flags.selector);
    const reports =
      operands.length === 0
        ? await view.list()
        : await Promise.all(
            operands.map(async (operand) => view.status(await stackOf(view, operand, io))),
          );
    const selected = reports.filter((report) => matchesSelector(report.labels, requirements));
    if (flags.json === true) {
      io.stdout(`${JSON.stringify(selected)}\n`);
      return 0;
    }
    if (selected.length === 0 && operands.length === 0) {
      // A header over nothing reads like a broken listing; say where nothing was found.
      const settings = resolveStateSettings(process.cwd(), {}, io.env);
      io.stdout(
        reports.length === 0
          ? `no stacks in the backend ${describeBackend(settings, io.env)} yet: \`sitestack up sites/<name>.yaml\` creates one${settings.embeddedDefaultBackend ? "" : " (stacks stay in the backend they were made in)"}\n`
          : `no stack in the backend ${describeBackend(settings, io.env)} matches --selector ${escapeLine(flags.selector ?? "")} (it has ${reports.length}: \`sitestack list\` shows them with their labels)\n`,
      );
      return 0;
    }
    const now = new Date();
    io.stdout(
      `${renderTable(
        ["STACK", "KIND", "STATUS", "LAST OP", "RESULT", "WHEN", "HOLDER", "TTL"],
        selected.map((report) => [
          report.stack,
          report.kind,
          report.status,
          ...lastOperationCells(report, now),
          report.holder === undefined ? "" : describeHolder(report.holder),
          describeTtlStatus(report.ttl),
        ]),
      )}\n`,
    );
    if (operands.length > 0) {
      for (const report of selected) {
        const message =
          report.note ?? report.lastOperation?.message ?? report.lastOperation?.recovery;
        if (message !== undefined) io.stdout(`\n${report.stack}: ${message}\n`);
        const outputs = Object.entries(report.outputs);
        if (outputs.length > 0) {
          io.stdout(`\n${report.stack} outputs:\n`);
          for (const [key, value] of outputs) io.stdout(`  ${key} = ${formatValue(value)}\n`);
        }
      }
    }
    return 0;
  } catch (error) {
    return reportFatal(error, flags.json === true ? "json" : "plain", io.stderr, io.stdout);
  }
}

/** `sitestack outputs <stack>`: the stack's outputs from the engine, secrets masked. */
export async function runOutputs(operand: string, flags: QueryFlags, io: CliIo): Promise<number> {
  try {
    const { siteStackManager } = await import("../../site-stacks.js");
    const manager = siteStackManager({ env: io.env });
    const stack = await stackOf(await currentView(io), operand, io);
    const outputs = await manager.outputs(stack);
    if (flags.json === true) io.stdout(`${JSON.stringify(outputs)}\n`);
    else
      for (const [key, value] of Object.entries(outputs))
        io.stdout(`${key} = ${formatValue(value)}\n`);
    return 0;
  } catch (error) {
    return reportFatal(error, flags.json === true ? "json" : "plain", io.stderr, io.stdout);
  }
}

/** `sitestack history <stack>`: the engine's update history, newest first. */
export async function runHistory(operand: string, flags: QueryFlags, io: CliIo): Promise<number> {
  try {
    const { siteStackManager } = await import("../../site-stacks.js");
    const manager = siteStackManager({ env: io.env });
    const stack = await stackOf(await currentView(io), operand, io);
    const entries = await manager.history(stack, Number(flags.limit ?? "20"));
    if (flags.json === true) {
      io.stdout(`${JSON.stringify(entries)}\n`);
      return 0;
    }
    io.stdout(
      `${renderTable(
        ["VERSION", "KIND", "RESULT", "START", "DURATION", "CHANGES"],
        entries.map((entry) => [
          String(entry.version),
          entry.kind,
          entry.result,
          entry.startTime,
          formatDuration(new Date(entry.endTime).getTime() - new Date(entry.startTime).getTime()),
          Object.entries(entry.resourceChanges)
            .map(([op, count]) => `${count} ${op}`)
            .join(", "),
        ]),
      )}\n`,
    );
    return 0;
  } catch (error) {
    return reportFatal(error, flags.json === true ? "json" : "plain", io.stderr, io.stdout);
  }
}

/** `sitestack unlock <stack>`: clears locks whose holders are provably gone. */
export async function runUnlock(operand: string, flags: QueryFlags, io: CliIo): Promise<number> {
  try {
    const { siteStackManager } = await import("../../site-stacks.js");
    const manager = siteStackManager({ env: io.env });
    const stack = await stackOf(await currentView(io), operand, io);
    const removed = await manager.unlock(stack);
    if (flags.json === true) {
      io.stdout(`${JSON.stringify({ stack, removed })}\n`);
    } else if (removed.length === 0) {
      io.stdout(`${stack} is not locked\n`);
    } else {
      for (const holder of removed) {
        io.stdout(`${stack}: removed the lock of ${describeHolder(holder)}, which is gone\n`);
      }
    }
    return 0;
  } catch (error) {
    return reportFatal(error, flags.json === true ? "json" : "plain", io.stderr, io.stdout);
  }
}

function formatValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** `sitestack secret set <stack> <NAME>`: the value comes from stdin, never from the command line. */
export async function runSecretSet(
  operand: string,
  name: string,
  io: CliIo,
  input: NodeJS.ReadableStream = process.stdin,
): Promise<number> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of input) chunks.push(Buffer.from(chunk as Buffer));
    const value = Buffer.concat(chunks)
      .toString("utf8")
      .replace(/\r?\n$/, "");
    const { siteStackManager } = await import("../../site-stacks.js");
    const manager = siteStackManager({ env: io.env });
    const stack = await stackOf(await currentView(io), operand, io, false);
    await manager.setSecret(stack, name, value);
    io.stdout(
      `${stack}: stored secret ${name}, encrypted, in config/Pulumi.${stack}.yaml (commit it so every machine has it)\n`,
    );
    return 0;
  } catch (error) {
    return reportFatal(error, "plain", io.stderr, io.stdout);
  }
}
