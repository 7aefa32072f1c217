import { describeTotals } from "../../manager/changes.js";
import type { FleetRow } from "../../manager/fleet.js";
import { describeHolder } from "../../contract.js";
import type { ManagerEvent, OperationOutcome } from "../../manager/manager.js";
import type { StackStatus } from "../../manager/status.js";
import type { NextSteps } from "../../program/next-steps.js";
import { escapeLine } from "../../escape.js";
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

/** How one stack of a verb ended, with what its site admin must do next (box sites, see below). */
export interface ReportRow extends FleetRow<OperationOutcome> {
  readonly nextSteps?: NextSteps;
}

/** Receives manager events while a verb runs and the rows when it ends. */
export interface Reporter {
  event(event: ManagerEvent): void;
  finish(rows: readonly ReportRow[]): void;
}

/**
 * The status each stack had when its operation ended, from the `end` events: a failed operation
 * has no outcome, yet the stack still has a status (a refused `up` of a Running stack leaves it
 * Running), and the summary says so instead of `-`.
 */
class EndStatuses {
  private readonly statuses = new Map<string, StackStatus>();

  record(event: ManagerEvent): void {
    if (event.type === "end" && event.status !== undefined) {
      this.statuses.set(event.stack, event.status);
    }
  }

  of(row: FleetRow<OperationOutcome>): StackStatus | undefined {
    return row.outcome?.status ?? this.statuses.get(row.stack);
  }
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
  private readonly statuses = new EndStatuses();

  constructor(private readonly out: Write) {}

  event(event: ManagerEvent): void {
    this.statuses.record(event);
    this.out(`${JSON.stringify({ ...event, time: new Date().toISOString() })}\n`);
  }

  finish(rows: readonly ReportRow[]): void {
    this.out(
      `${JSON.stringify({
        type: "summary",
        rows: rows.map((row) => {
          const status = this.statuses.of(row);
          const note = rowNote(row);
          return {
            stack: row.stack,
            result: row.result,
            durationMs: row.durationMs,
            ...(status === undefined ? {} : { status }),
            ...(row.outcome === undefined
              ? {}
              : {
                  changes: row.outcome.summary.byType,
                  totals: row.outcome.summary.totals,
                  outputs: row.outcome.outputs,
                  ...(row.outcome.recovery === undefined ? {} : { recovery: row.outcome.recovery }),
                }),
            ...(row.error === undefined ? {} : { error: row.error.message }),
            ...(row.error === undefined && note !== "" ? { note } : {}),
            ...(row.nextSteps === undefined ? {} : { nextSteps: row.nextSteps }),
          };
        }),
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

/** `[stack] text`, once per line of the text, so a multi-line message stays greppable by stack. */
function prefixed(stack: string, text: string): string {
  return text
    .split("\n")
    .map((line) => `[${stack}] ${line}\n`)
    .join("");
}

/** Plain `[stack] …` lines, for CI logs. */
class LineReporter implements Reporter {
  protected readonly statuses = new EndStatuses();

  constructor(
    protected readonly out: Write,
    protected readonly showDiff: boolean,
  ) {}

  event(event: ManagerEvent): void {
    this.statuses.record(event);
    const text = describeEvent(event);
    if (text !== undefined) this.out(prefixed(event.stack, text));
  }

  finish(rows: readonly ReportRow[]): void {
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
    this.out(`\n${summaryTable(rows, (row) => this.statuses.of(row))}\n`);
    this.nextSteps(rows);
  }

  /** What each site admin must do next, one `[stack] next: …` line per step. */
  protected nextSteps(rows: readonly ReportRow[]): void {
    for (const row of rows) {
      if (row.nextSteps === undefined) continue;
      for (const line of nextStepLines(row.nextSteps)) {
        this.out(`[${row.stack}] next: ${line}\n`);
      }
    }
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
    // Engine output, notices and why an operation failed scroll above the live block; the block
    // alone would show "failed" and never the reason.
    if (
      event.type === "output" ||
      event.type === "recovery" ||
      event.type === "waiting" ||
      event.type === "notice" ||
      (event.type === "end" && !event.ok)
    ) {
      this.clear();
      super.event(event);
    } else {
      this.statuses.record(event);
    }
    this.redraw();
  }

  override finish(rows: readonly ReportRow[]): void {
    clearInterval(this.timer);
    this.redraw();
    this.drawn = 0;
    super.finish(rows);
  }

  /** What each site admin must do next, as a short block per site. */
  protected override nextSteps(rows: readonly ReportRow[]): void {
    for (const row of rows) {
      if (row.nextSteps === undefined) continue;
      this.out(`\n${nextStepsBlock(row.stack, row.nextSteps)}\n`);
    }
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
export function summaryTable(
  rows: readonly FleetRow<OperationOutcome>[],
  statusOf: (row: FleetRow<OperationOutcome>) => StackStatus | undefined = (row) =>
    row.outcome?.status,
): string {
  return renderTable(
    ["STACK", "RESULT", "STATUS", "CHANGES", "TIME", "NOTE"],
    rows.map((row) => [
      row.stack,
      row.result,
      statusOf(row) ?? (row.result === "succeeded" ? "removed" : "-"),
      row.outcome === undefined ? "-" : describeTotals(row.outcome.summary.totals),
      formatDuration(row.durationMs),
      row.error === undefined ? rowNote(row) : errorNote(row.error.message),
    ]),
  );
}

/**
 * The note of a row that did not fail: what recovery did, and why an `up` or `preview` left a site
 * archived (it stays so until `restore`, which a newcomer would not guess).
 */
function rowNote(row: FleetRow<OperationOutcome>): string {
  const outcome = row.outcome;
  if (outcome === undefined) return "";
  const archived =
    outcome.status === "Archived" && (outcome.verb === "up" || outcome.verb === "preview")
      ? `archived: ${outcome.verb} keeps it so; \`sitestack restore ${row.stack}\` brings it back`
      : undefined;
  return [outcome.recovery, archived].filter((part) => part !== undefined).join("; ");
}

/** A note is cut here (at a word) and points at the full message above the table. */
const noteLimit = 120;

/**
 * An error in one table cell: its first line, and for a list of problems the first problem and how
 * many more the output above shows.
 */
export function errorNote(message: string): string {
  const [first = "", second, ...rest] = message.split("\n");
  const more = rest.length > 0 ? ` (and ${rest.length} more above)` : "";
  const note = second === undefined ? first : `${first} ${second.trim().replace(/^- /, "")}`;
  if (note.length <= noteLimit) return `${note}${more}`;
  const cut = note.lastIndexOf(" ", noteLimit);
  return `${note.slice(0, cut > noteLimit / 2 ? cut : noteLimit)} … (see above)`;
}

/** The next steps as short sentences, one per step (plain lines, and the block's rows). */
export function nextStepLines(steps: NextSteps): string[] {
  const address = escapeLine(steps.ingressAddress ?? steps.pending ?? "not known");
  const records = steps.dnsRecords.map((record) =>
    record.content === null
      ? `create the DNS record ${escapeLine(record.name)} (A for an IP address, CNAME for a host name) → the ingress address`
      : `create the DNS record ${escapeLine(record.name)} ${record.type ?? "A"} ${escapeLine(record.content)}`,
  );
  return [
    `point ${escapeLine(steps.domain)} at the ingress address: ${address}`,
    ...records,
    `test URL: ${escapeLine(steps.testUrl)} (works ${steps.testUrlWorks}, no DNS change needed)`,
  ];
}

/** The next steps as a short block under the summary table, for a terminal. */
export function nextStepsBlock(stack: string, steps: NextSteps): string {
  const rows = [
    ["ingress address", escapeLine(steps.ingressAddress ?? steps.pending ?? "not known")],
    ...steps.dnsRecords.map((record) => [
      "DNS record",
      record.content === null
        ? `${escapeLine(record.name)}  A (for an IP) or CNAME (for a host name)  → the ingress address`
        : `${escapeLine(record.name)}  ${record.type ?? "A"}  ${escapeLine(record.content)}`,
    ]),
    [
      "test URL",
      `${escapeLine(steps.testUrl)} (works ${steps.testUrlWorks}, no DNS change needed)`,
    ],
  ];
  return [
    `Next steps for ${stack}: ${escapeLine(steps.domain)} is not on Cloudflare, so its DNS records are yours to create`,
    ...renderTable(["", ""], rows)
      .split("\n")
      .slice(1)
      .map((line) => `  ${line}`),
  ].join("\n");
}
