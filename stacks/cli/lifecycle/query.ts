import { StackNotFound } from "../../errors.js";
import { describeHolder } from "../../manager/holder.js";
import { matchesSelector } from "../../manager/selector.js";
import { selectorRequirements } from "./targets.js";
import { resolveStateSettings } from "../../manager/settings.js";
import { StatusView, type StackStatusReport } from "../../manager/status-view.js";
import type { CliIo } from "../io.js";
import { reportFatal } from "./run.js";
import { formatDuration, renderTable } from "./table.js";
import { describeTtlStatus } from "../../staging/ttl.js";

/** Flags of the read-only verbs. */
export interface QueryFlags {
  readonly json?: boolean;
  readonly selector?: string;
  readonly limit?: string;
}

/** The stack name for an operand: `site-acme`, or a site name `acme` when it is registered. */
async function stackOf(view: StatusView, operand: string): Promise<string> {
  if ((await view.registry.get(operand)) !== undefined) return operand;
  for (const prefix of ["site-", "staging-"]) {
    if ((await view.registry.get(`${prefix}${operand}`)) !== undefined)
      return `${prefix}${operand}`;
  }
  throw new StackNotFound(operand);
}

function lastOperationCells(report: StackStatusReport, now: Date): string[] {
  const operation = report.lastOperation;
  if (operation === undefined) return ["-", "-", "-"];
  const when = operation.finishedAt ?? operation.startedAt;
  const ago = formatDuration(now.getTime() - new Date(when).getTime());
  return [operation.verb, operation.result, `${when} (${ago} ago)`];
}

/** `sitestack status [stacks…]` and `sitestack list`: from the registry, no engine. */
export async function runStatus(
  operands: readonly string[],
  flags: QueryFlags,
  io: CliIo,
): Promise<number> {
  try {
    const view = new StatusView(resolveStateSettings(process.cwd(), {}, io.env));
    const requirements = selectorRequirements(flags.selector);
    const reports =
      operands.length === 0
        ? await view.list()
        : await Promise.all(
            operands.map(async (operand) => view.status(await stackOf(view, operand))),
          );
    const selected = reports.filter((report) => matchesSelector(report.labels, requirements));
    if (flags.json === true) {
      io.stdout(`${JSON.stringify(selected)}\n`);
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
        const message = report.lastOperation?.message ?? report.lastOperation?.recovery;
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
    const { cliStackManager } = await import("./manager.js");
    const manager = await cliStackManager();
    const stack = await stackOf(new StatusView(manager.settings), operand);
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
    const { cliStackManager } = await import("./manager.js");
    const manager = await cliStackManager();
    const stack = await stackOf(new StatusView(manager.settings), operand);
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
    const { cliStackManager } = await import("./manager.js");
    const manager = await cliStackManager();
    const stack = await stackOf(new StatusView(manager.settings), operand);
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
    const { cliStackManager } = await import("./manager.js");
    const manager = await cliStackManager();
    const stack = /^(site|staging)-/.test(operand) ? operand : `site-${operand}`;
    await manager.setSecret(stack, name, value);
    io.stdout(`${stack}: stored secret ${name} (encrypted in the stack config)\n`);
    return 0;
  } catch (error) {
    return reportFatal(error, "plain", io.stderr, io.stdout);
  }
}
