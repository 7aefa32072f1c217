import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { resolveTargets } from "../../stacks/cli/lifecycle/targets.js";
import { StackRegistry, type StackRecord } from "../../stacks/manager/registry.js";
import { resolveStateSettings } from "../../stacks/manager/settings.js";
import { StatusView } from "../../stacks/manager/status-view.js";

const hour = 3_600_000;

function record(
  stack: string,
  kind: string,
  ttl: string | undefined,
  hoursAgo: number,
): StackRecord {
  const when = new Date(Date.now() - hoursAgo * hour).toISOString();
  return {
    stack,
    kind,
    labels: {},
    status: kind === "Staging" ? "Archived" : "Running",
    lifecycle: kind === "Staging" ? "archived" : "active",
    everSucceeded: true,
    outputs: {},
    lastAppliedSpec: { kind, metadata: { name: stack.replace(/^[a-z]+-/, "") }, spec: { ttl } },
    lastOperation: { verb: "archive", startedAt: when, finishedAt: when, result: "succeeded" },
    updatedAt: when,
  };
}

async function registryWith(
  ...records: StackRecord[]
): Promise<{ dir: string; registry: StackRegistry }> {
  const dir = await mkdtemp(join(tmpdir(), "sitestack-ttl-"));
  const registry = new StackRegistry(resolveStateSettings(dir).registryDir);
  for (const entry of records) await registry.put(entry);
  return { dir, registry };
}

describe("stagings past their ttl", () => {
  const records = [
    record("staging-old", "Staging", "72h", 80),
    record("staging-fresh", "Staging", "72h", 10),
    record("staging-forever", "Staging", undefined, 5_000),
    record("site-acme", "BoxSite", undefined, 5_000),
  ];

  test("cleanup --expired selects exactly the stagings whose ttl has passed", async () => {
    const { registry } = await registryWith(...records);
    const targets = await resolveTargets(
      { operands: [], all: false, expired: true, sitesDir: "sites" },
      registry,
      false,
    );
    expect(targets.map((target) => target.stack)).toEqual(["staging-old"]);
  });

  test("without --expired nothing is selected by age", async () => {
    const { registry } = await registryWith(...records);
    const targets = await resolveTargets(
      { operands: [], all: false, sitesDir: "sites" },
      registry,
      false,
    );
    expect(targets).toEqual([]);
  });

  test("status and list report each stack's ttl state", async () => {
    const { dir } = await registryWith(...records);
    const reports = await new StatusView(resolveStateSettings(dir)).list();
    expect(Object.fromEntries(reports.map((report) => [report.stack, report.ttl.state]))).toEqual({
      "site-acme": "none",
      "staging-forever": "none",
      "staging-fresh": "live",
      "staging-old": "expired",
    });
  });
});
