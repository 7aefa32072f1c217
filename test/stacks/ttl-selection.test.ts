import { describe, expect, test } from "vitest";
import { resolveTargets } from "../../stacks/cli/lifecycle/targets.js";
import { stackTtlStatus } from "../../stacks/staging/ttl.js";
import { StatusView } from "../../stacks/manager/status-view.js";
import { fakeBackend, fakeMetadata, type FakeBackend } from "./support/diy-backend.js";

const hour = 3_600_000;

async function backendWith(
  ...stacks: [stack: string, kind: string, ttl: string | undefined, hoursAgo: number][]
): Promise<FakeBackend> {
  const backend = await fakeBackend();
  for (const [stack, kind, ttl, hoursAgo] of stacks) {
    await backend.put({
      stack,
      metadata: fakeMetadata(kind, {
        lifecycle: kind === "Staging" ? "archived" : "active",
        spec: { kind, metadata: { name: stack.replace(/^[a-z]+-/, "") }, spec: { ttl } },
      }),
      resources: 1,
      updates: [
        { kind: "update", result: "succeeded", endTime: new Date(Date.now() - hoursAgo * hour) },
      ],
    });
  }
  return backend;
}

describe("stagings past their ttl", () => {
  const stacks: [string, string, string | undefined, number][] = [
    ["staging-old", "Staging", "72h", 80],
    ["staging-fresh", "Staging", "72h", 10],
    ["staging-forever", "Staging", undefined, 5_000],
    ["site-acme", "BoxSite", undefined, 5_000],
  ];

  test("cleanup --expired selects exactly the stagings whose ttl has passed", async () => {
    const view = new StatusView(
      (await backendWith(...stacks)).facts,
      undefined,
      undefined,
      stackTtlStatus,
    );
    const targets = await resolveTargets(
      { operands: [], all: false, expired: true, sitesDir: "sites" },
      () => view.list(),
      false,
    );
    expect(targets.map((target) => target.stack)).toEqual(["staging-old"]);
  });

  test("without --expired nothing is selected by age", async () => {
    const view = new StatusView(
      (await backendWith(...stacks)).facts,
      undefined,
      undefined,
      stackTtlStatus,
    );
    const targets = await resolveTargets(
      { operands: [], all: false, sitesDir: "sites" },
      () => view.list(),
      false,
    );
    expect(targets).toEqual([]);
  });

  test("status and list report each stack's ttl state, counted from the engine's last update", async () => {
    const reports = await new StatusView(
      (await backendWith(...stacks)).facts,
      undefined,
      undefined,
      stackTtlStatus,
    ).list();
    expect(Object.fromEntries(reports.map((report) => [report.stack, report.ttl.state]))).toEqual({
      "site-acme": "none",
      "staging-forever": "none",
      "staging-fresh": "live",
      "staging-old": "expired",
    });
  });
});
