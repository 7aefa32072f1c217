import { describe, expect, test } from "vitest";
import {
  createReporter,
  errorNote,
  type OutputMode,
  type ReportRow,
} from "../../stacks/cli/lifecycle/reporter.js";
import type { OperationOutcome } from "../../stacks/manager/manager.js";
import type { NextSteps } from "../../stacks/program/next-steps.js";

function capture(mode: OutputMode) {
  let text = "";
  const reporter = createReporter(mode, (chunk) => void (text += chunk), false);
  return { reporter, text: () => text };
}

function outcome(overrides: Partial<OperationOutcome> = {}): OperationOutcome {
  return {
    stack: "site-bodega",
    verb: "up",
    status: "Running",
    summary: { byType: {}, totals: { create: 9 }, changes: [] },
    outputs: {},
    durationMs: 3_300,
    ...overrides,
  };
}

const twoProblems =
  "2 problems:\n  - secret A is not set: export SITESTACK_SECRET_A\n  - secret B is not set: export SITESTACK_SECRET_B";

const nextSteps: NextSteps = {
  domain: "bodegadelbarrio.pe",
  ingressAddress: null,
  pending: "known after up",
  dnsRecords: [{ name: "bodegadelbarrio.pe", type: null, content: null }],
  testUrl: "https://bodega.sites.example.net/",
  testUrlWorks: "after up",
};

describe("what a lifecycle verb prints", () => {
  test("plain output prefixes every line of a multi-line failure with the stack", () => {
    const { reporter, text } = capture("plain");
    reporter.event({
      type: "end",
      stack: "site-acme",
      verb: "up",
      ok: false,
      durationMs: 1_200,
      error: twoProblems,
    });
    expect(text()).toBe(
      [
        "[site-acme] up failed after 1.2s: 2 problems:",
        "[site-acme]   - secret A is not set: export SITESTACK_SECRET_A",
        "[site-acme]   - secret B is not set: export SITESTACK_SECRET_B",
        "",
      ].join("\n"),
    );
  });

  test("on a terminal the reason of a failure and notices scroll above the live lines", () => {
    const { reporter, text } = capture("tty");
    reporter.event({ type: "start", stack: "site-acme", verb: "up" });
    reporter.event({ type: "notice", stack: "site-acme", message: "created a passphrase" });
    reporter.event({
      type: "end",
      stack: "site-acme",
      verb: "up",
      ok: false,
      durationMs: 1_200,
      error: twoProblems,
    });
    reporter.finish([
      { stack: "site-acme", result: "failed", durationMs: 1_200, error: new Error(twoProblems) },
    ]);
    expect(text()).toContain("[site-acme] created a passphrase\n");
    expect(text()).toContain(
      "[site-acme] up failed after 1.2s: 2 problems:\n[site-acme]   - secret A is not set",
    );
    expect(text()).toContain("[site-acme]   - secret B is not set: export SITESTACK_SECRET_B\n");
  });

  test("a failed row shows the status the stack kept (a refused up leaves it Running)", () => {
    for (const mode of ["plain", "tty"] as const) {
      const { reporter, text } = capture(mode);
      reporter.event({ type: "start", stack: "site-bodega", verb: "restore" });
      reporter.event({
        type: "end",
        stack: "site-bodega",
        verb: "restore",
        ok: false,
        status: "Running",
        durationMs: 300,
        error: "1 problem: secret A is not set",
      });
      reporter.finish([
        {
          stack: "site-bodega",
          result: "failed",
          durationMs: 300,
          error: new Error("1 problem: secret A is not set"),
        },
      ]);
      expect(text()).toMatch(/\nsite-bodega +failed +Running +- +0\.3s +1 problem: secret A/);
    }
    const json = capture("json");
    json.reporter.event({
      type: "end",
      stack: "site-bodega",
      verb: "restore",
      ok: false,
      status: "Running",
      durationMs: 300,
      error: "1 problem",
    });
    json.reporter.finish([
      { stack: "site-bodega", result: "failed", durationMs: 300, error: new Error("1 problem") },
    ]);
    const summary = JSON.parse(json.text().trim().split("\n").at(-1)!) as {
      rows: { status?: string }[];
    };
    expect(summary.rows[0]?.status).toBe("Running");
  });

  test("a long note is cut at a word and points at the full message above the table", () => {
    const long = `up of site-bodega failed: ${"the passphrase in use cannot open the salt ".repeat(5)}`;
    const note = errorNote(long);
    expect(note.length).toBeLessThan(140);
    expect(note).toMatch(/^up of site-bodega failed: the passphrase .* … \(see above\)$/);
    expect(errorNote("up of site-blog failed: boom")).toBe("up of site-blog failed: boom");
  });

  test("an up that leaves a site archived says so and how to bring it back", () => {
    const { reporter, text } = capture("plain");
    reporter.finish([
      {
        stack: "site-bodega",
        result: "succeeded",
        durationMs: 3_600,
        outcome: outcome({
          status: "Archived",
          summary: { byType: {}, totals: { same: 9 }, changes: [] },
        }),
      },
    ]);
    expect(text()).toMatch(
      /site-bodega +succeeded +Archived +9 unchanged +3\.6s +archived: up keeps it so; `sitestack restore site-bodega` brings it back\n$/,
    );
  });

  test.each(["plain", "tty"] as const)(
    "the summary table's last line ends with a newline (%s), so the prompt starts its own line",
    (mode) => {
      const { reporter, text } = capture(mode);
      reporter.event({ type: "start", stack: "site-bodega", verb: "up" });
      reporter.finish([
        { stack: "site-bodega", result: "succeeded", durationMs: 3_300, outcome: outcome() },
      ]);
      expect(text()).toMatch(/\nsite-bodega +succeeded +Running +9 create +3\.3s\n$/);
    },
  );

  test("next steps: `[stack] next:` lines in plain output, after the table", () => {
    const { reporter, text } = capture("plain");
    const row: ReportRow = {
      stack: "site-bodega",
      result: "succeeded",
      durationMs: 3_300,
      outcome: outcome({ verb: "preview" }),
      nextSteps,
    };
    reporter.finish([row]);
    expect(text().split("\nSTACK")[1]?.split("\n").slice(2)).toEqual([
      "[site-bodega] next: point bodegadelbarrio.pe at the ingress address: known after up",
      "[site-bodega] next: create the DNS record bodegadelbarrio.pe (A for an IP address, CNAME for a host name) → the ingress address",
      "[site-bodega] next: test URL: https://bodega.sites.example.net/ (works after up, no DNS change needed)",
      "",
    ]);
  });

  test("next steps: a short block on a terminal, ending with a newline", () => {
    const { reporter, text } = capture("tty");
    reporter.finish([
      {
        stack: "site-bodega",
        result: "succeeded",
        durationMs: 3_300,
        outcome: outcome(),
        nextSteps: {
          ...nextSteps,
          ingressAddress: "203.0.113.7",
          dnsRecords: [{ name: "bodegadelbarrio.pe", type: "A", content: "203.0.113.7" }],
          testUrlWorks: "now",
        },
      },
    ]);
    expect(text().split("\n\n").at(-1)).toBe(
      [
        "Next steps for site-bodega: bodegadelbarrio.pe is not on Cloudflare, so its DNS records are yours to create",
        "  ingress address  203.0.113.7",
        "  DNS record       bodegadelbarrio.pe  A  203.0.113.7",
        "  test URL         https://bodega.sites.example.net/ (works now, no DNS change needed)",
        "",
      ].join("\n"),
    );
  });

  test("next steps: structured as nextSteps in the --json summary", () => {
    const { reporter, text } = capture("json");
    reporter.finish([
      {
        stack: "site-bodega",
        result: "succeeded",
        durationMs: 3_300,
        outcome: outcome({ verb: "preview" }),
        nextSteps,
      },
    ]);
    const summary = JSON.parse(text()) as { rows: { nextSteps?: unknown }[] };
    expect(summary.rows[0]?.nextSteps).toEqual({
      domain: "bodegadelbarrio.pe",
      ingressAddress: null,
      pending: "known after up",
      dnsRecords: [{ name: "bodegadelbarrio.pe", type: null, content: null }],
      testUrl: "https://bodega.sites.example.net/",
      testUrlWorks: "after up",
    });
  });
});
