import { describe, expect, test } from "vitest";
import type { Holder } from "../../stacks/manager/holder.js";
import { reconcileRecord } from "../../stacks/manager/reconcile.js";
import type { StackRecord } from "../../stacks/manager/registry.js";
import {
  pendingStatusFor,
  restingStatusAfter,
  type MutatingVerb,
  type StackStatus,
} from "../../stacks/manager/status.js";

const holder: Holder = {
  user: "ci",
  host: "build-1",
  pid: 4242,
  since: "2026-11-22T08:00:00.000Z",
};

function pendingRecord(status: StackStatus = "UpdatePending"): StackRecord {
  return {
    stack: "site-acme",
    kind: "BoxSite",
    labels: {},
    status,
    lifecycle: "active",
    everSucceeded: true,
    outputs: {},
    updatedAt: holder.since,
    lastOperation: { verb: "up", startedAt: holder.since, result: "in-progress", holder },
  };
}

describe("status while an operation is in flight", () => {
  test.each<[MutatingVerb, boolean, StackStatus]>([
    ["up", false, "CreatePending"],
    ["up", true, "UpdatePending"],
    ["refresh", true, "UpdatePending"],
    ["restore", true, "UpdatePending"],
    ["archive", true, "DeletePending"],
    ["destroy", true, "DeletePending"],
    ["cleanup", true, "DeletePending"],
  ])("%s (ever succeeded: %s) shows %s", (verb, everSucceeded, expected) => {
    expect(pendingStatusFor(verb, everSucceeded)).toBe(expected);
  });
});

describe("status after a successful operation", () => {
  test("archive leaves the stack Archived and restore brings it back to Running", () => {
    expect(restingStatusAfter("archive", "archived")).toBe("Archived");
    expect(restingStatusAfter("restore", "active")).toBe("Running");
  });

  test("up and refresh keep an archived stack Archived", () => {
    expect(restingStatusAfter("up", "archived")).toBe("Archived");
    expect(restingStatusAfter("refresh", "archived")).toBe("Archived");
    expect(restingStatusAfter("up", "active")).toBe("Running");
  });
});

describe("reconciling the registry with the facts", () => {
  const now = new Date("2026-11-22T08:10:00.000Z");

  test("an in-flight record whose holder died becomes a Failure that says why", () => {
    const reconciled = reconcileRecord(pendingRecord(), { isGone: () => true, now });
    expect(reconciled.status).toBe("Failure");
    expect(reconciled.lastOperation?.result).toBe("failed");
    expect(reconciled.lastOperation?.message).toBe(
      "up was interrupted: its holder ci@build-1 (pid 4242) since 2026-11-22T08:00:00.000Z is gone; the next operation recovers its pending changes",
    );
  });

  test("an in-flight record whose holder is alive and holds the lock stays Pending", () => {
    const reconciled = reconcileRecord(pendingRecord("CreatePending"), {
      isGone: () => false,
      engineLocks: [holder],
      now,
    });
    expect(reconciled.status).toBe("CreatePending");
  });

  test("a remote holder without an engine lock past the grace period is a Failure", () => {
    const reconciled = reconcileRecord(pendingRecord(), {
      isGone: () => false,
      engineLocks: [],
      now,
    });
    expect(reconciled.status).toBe("Failure");
    expect(reconciled.lastOperation?.message).toContain("the engine holds no lock for it");
  });

  test("a fresh in-flight record without an engine lock yet stays Pending (it is about to lock)", () => {
    const reconciled = reconcileRecord(pendingRecord(), {
      isGone: () => false,
      engineLocks: [],
      now: new Date("2026-11-22T08:00:30.000Z"),
    });
    expect(reconciled.status).toBe("UpdatePending");
  });

  test("a record at rest is never changed", () => {
    const record = { ...pendingRecord(), status: "Running" as const };
    expect(reconcileRecord(record, { isGone: () => true, now })).toBe(record);
  });

  test("when lock files cannot be read (remote backend) a live-looking holder stays Pending", () => {
    const reconciled = reconcileRecord(pendingRecord("DeletePending"), {
      isGone: () => false,
      now,
    });
    expect(reconciled.status).toBe("DeletePending");
  });
});
