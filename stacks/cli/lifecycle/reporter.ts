import { describeTotals } from "../../manager/changes.js";
import type { FleetRow } from "../../manager/fleet.js";
import { describeHolder } from "../../contract.js";
import type { ManagerEvent, OperationOutcome } from "../../manager/manager.js";
import { formatDuration, renderTable } from "./table.js";

/** How a lifecycle verb reports: live lines on a terminal, plain lines in CI, or JSON lines. */
export type OutputMode = "tty" | "plain" | "json";

/** Picks the mode: `--json` wins; a terminal without `CI` set gets live progress. */
export function outputModeOf(
  json: boolean,
  isTerminal: boolean,
  env: Readonly<Record<string, string | undefined>>,
): OutputMode {
  if (json) return "json";
  return isTerminal && env.CI === undefined ? "tty" : "plain";
}

/** Where a reporter writes. */
export type Write = (text: string) => void;

/** Receives manager events while a verb runs and the rows when it ends. */
export interface Reporter {
  event(event: ManagerEvent): void;
  finish(rows: readonly FleetRow<OperationOutcome>[]): void;
}

/** Makes the reporter of a mode, writing to `out`. */
export function createReporter(mode: OutputMode, out: Write, showDiff: boolean): Reporter {
  switch (mode) {
    case "json":
      return new JsonReporter(out);
    case "plain":
      return new LineReporter(out, showDiff);
    case "tty":
      return new LiveReporter(out, showDiff);
    default: {
      const unknownMode: never = mode;
      throw new Error(`unknown output mode ${String(unknownMode)}`);
    }
  }
}

/** One JSON object per line: every manager event, then one `summary` object. */
class JsonReporter implements Reporter {
  constructor(private readonly out: Write) {}

  event(event: ManagerEvent): void {
    this.out(`${JSON.stringify({ ...event, time: new Date().toISOString() })}\n`);
  }

  finish(rows: readonly FleetRow<OperationOutcome>[]): void {
    this.out(
      `${JSON.stringify({
        type: "summary",
        rows: rows.map((row) => ({
          stack: row.stack,
          result: row.result,
          durationMs: row.durationMs,
          ...(row.outcome === undefined
            ? {}
            : {
                status: row.outcome.status,
                changes: row.outcome.summary.byType,
                totals: row.outcome.summary.totals,
                outputs: row.outcome.outputs,
                ...(row.outcome.recovery === undefined ? {} : { recovery: row.outcome.recovery }),
              }),
          ...(row.error === undefined ? {} : { error: row.error.message }),
        })),
      })}\n`,
    );
  }
}

/** The words a line-oriented reporter prints for an event, or undefined for none. */
export function describeEvent(event: ManagerEvent): string | undefined {
  switch (event.type) {
    case "start":
      return `${event.verb} started`;
    case "waiting":
      return `waiting for the lock held by ${event.holders.map(describeHolder).join(", ") || "another operation"}`;
    case "recovery":
    case "notice":
      return event.message;
    case "output":
      return event.line;
    case "resource":
      return undefined;
    case "end":
      return event.ok
        ? `${event.verb} done in ${formatDuration(event.durationMs)}${event.summary === undefined ? "" : `: ${describeTotals(event.summary.totals)}`}${event.status === undefined ? "" : ` (${event.status})`}`
        : `${event.verb} failed after ${formatDuration(event.durationMs)}: ${event.error ?? "unknown error"}`;
    default: {
      const unknown: never = event;
      return String(unknown);
    }
  }
}

/** Plain `[stack] …` lines, for CI logs. */
class LineReporter implements Reporter {
  constructor(
    protected readonly out: Write,
    protected readonly showDiff: boolean,
  ) {}

  event(event: ManagerEvent): void {
    const text = describeEvent(event);
    if (text !== undefined) this.out(`[${event.stack}] ${text}\n`);
  }

  finish(rows: readonly FleetRow<OperationOutcome>[]): void {
    for (const row of rows) {
      const outcome = row.outcome;
      if (outcome === undefined) continue;
      if (outcome.verb === "preview") {
        for (const [type, ops] of Object.entries(outcome.summary.byType)) {
          this.out(`[${row.stack}]   ${type}: ${describeTotals(ops)}\n`);
        }
      }
      if (this.showDiff && outcome.diffText !== undefined) {
        for (const line of outcome.diffText.split("\n")) this.out(`[${row.stack}] ${line}\n`);
      }
    }
    this.out(`\n${summaryTable(rows)}\n`);
  }
}

/**
 * Live progress on a terminal: one line per stack (verb, resource steps, elapsed) rewritten in
 * place with ANSI cursor moves; engine output scrolls above the block.
 */
class LiveReporter extends LineReporter {
  private readonly lines = new Map<
    string,
    { verb: string; count: number; started: number; state: string }
  >();
  private drawn = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(out: Write, showDiff: boolean) {
    super(out, showDiff);
    this.timer = setInterval(() => this.redraw(), 250);
    this.timer.unref();
  }

  override event(event: ManagerEvent): void {
    const line = this.lines.get(event.stack);
    if (event.type === "start") {
      this.lines.set(event.stack, {
        verb: event.verb,
        count: 0,
        started: Date.now(),
        state: "running",
      });
    } else if (line !== undefined && event.type === "resource") {
      line.count = event.count;
    } else if (line !== undefined && event.type === "end") {
      line.state = event.ok ? "done" : "failed";
    }
    if (event.type === "output" || event.type === "recovery" || event.type === "waiting") {
      this.clear();
      super.event(event);
    }
    this.redraw();
  }

  override finish(rows: readonly FleetRow<OperationOutcome>[]): void {
    clearInterval(this.timer);
    this.redraw();
    this.drawn = 0;
    super.finish(rows);
  }

  private clear(): void {
    if (this.drawn > 0) this.out(`\x1b[${this.drawn}A\x1b[J`);
    this.drawn = 0;
  }

  private redraw(): void {
    this.clear();
    for (const [stack, line] of this.lines) {
      const elapsed = formatDuration(Date.now() - line.started);
      this.out(`[${stack}] ${line.verb} ${line.state} · ${line.count} resources · ${elapsed}\n`);
    }
    this.drawn = this.lines.size;
  }
}

/** The table printed after a verb: one row per stack. */
export function summaryTable(rows: readonly FleetRow<OperationOutcome>[]): string {
  return renderTable(
    ["STACK", "RESULT", "STATUS", "CHANGES", "TIME", "NOTE"],
    rows.map((row) => [
      row.stack,
      row.result,
      row.outcome?.status ?? (row.result === "succeeded" ? "removed" : "-"),
      row.outcome === undefined ? "-" : describeTotals(row.outcome.summary.totals),
      formatDuration(row.durationMs),
      row.error === undefined ? (row.outcome?.recovery ?? "") : errorNote(row.error.message),
    ]),
  );
}

/**
 * An error in one table cell: its first line, and for a list of problems the first problem and how
 * many more the output above shows.
 */
export function errorNote(message: string): string {
  const [first = "", second, ...rest] = message.split("\n");
  if (second === undefined) return first;
  const more = rest.length > 0 ? ` (and ${rest.length} more above)` : "";
  return `${first} ${second.trim().replace(/^- /, "")}${more}`;
}
