import { describe, expect, test } from "vitest";
import type { CheckpointFacts } from "../../stacks/manager/backend/layout.js";
import { deriveStatus, type StackFacts } from "../../stacks/manager/derive-status.js";
import type { Holder } from "../../stacks/contract.js";
import { metadataOutputName, planRun } from "../../stacks/manager/metadata.js";
import { operationFinished, operationStarted } from "../../stacks/manager/operation-record.js";
import {
  pendingStatusFor,
  type MutatingVerb,
  type StackStatus,
} from "../../stacks/manager/status.js";
import { fakeMetadata } from "./support/diy-backend.js";

const holder: Holder = {
  user: "ci",
  host: "build-1",
  pid: 4242,
  since: "2026-11-22T08:00:00.000Z",
};
const now = new Date("2026-11-22T08:10:00.000Z");
const alive = { isGone: () => false, now };
const gone = { isGone: () => true, now };

function checkpoint(overrides: Partial<CheckpointFacts> = {}): CheckpointFacts {
  return {
    outputs: { [metadataOutputName]: fakeMetadata("BoxSite") },
    resourceCount: 3,
    pendingOperations: [],
    ...overrides,
  };
}

const succeeded = {
  kind: "update",
  result: "succeeded",
  startTime: new Date("2026-11-22T07:59:00Z"),
  endTime: new Date("2026-11-22T08:00:00Z"),
  message: "",
  resourceChanges: {},
};

function facts(overrides: Partial<StackFacts> = {}): StackFacts {
  return {
    stack: "site-acme",
    checkpoint: checkpoint(),
    lastUpdate: succeeded,
    locks: [],
    ...overrides,
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

  test("a live engine lock holder with sitestack's record of the verb: that verb's Pending", () => {
    const derived = deriveStatus(
      facts({ locks: [holder], operation: operationStarted("archive", holder) }),
      alive,
    );
    expect(derived).toMatchObject({ status: "DeletePending", holder });
    expect(derived?.note).toBe(
      "in flight, held by ci@build-1 (pid 4242) since 2026-11-22T08:00:00.000Z",
    );
  });

  test("a live lock without sitestack's record (plain pulumi): from the checkpoint", () => {
    expect(deriveStatus(facts({ locks: [holder] }), alive)?.status).toBe("UpdatePending");
    expect(
      deriveStatus(
        facts({
          locks: [holder],
          checkpoint: checkpoint({ pendingOperations: [{ urn: "u", type: "deleting" }] }),
        }),
        alive,
      )?.status,
    ).toBe("DeletePending");
    expect(
      deriveStatus(
        facts({
          locks: [holder],
          lastUpdate: undefined,
          checkpoint: checkpoint({ resourceCount: 0 }),
        }),
        alive,
      )?.status,
    ).toBe("CreatePending");
  });

  test("a fresh in-flight record before the engine locks stays Pending", () => {
    const early = { isGone: () => false, now: new Date("2026-11-22T08:00:30.000Z") };
    expect(deriveStatus(facts({ operation: operationStarted("up", holder) }), early)?.status).toBe(
      "UpdatePending",
    );
  });
});

describe("an interrupted run is a Failure the next operation recovers", () => {
  test("a lock whose holder is gone", () => {
    const derived = deriveStatus(facts({ locks: [holder] }), gone);
    expect(derived?.status).toBe("Failure");
    expect(derived?.note).toBe(
      "interrupted: the engine lock of ci@build-1 (pid 4242) since 2026-11-22T08:00:00.000Z remains, and that holder is gone; the next operation removes it and recovers",
    );
  });

  test("pending operations left in the checkpoint", () => {
    const derived = deriveStatus(
      facts({ checkpoint: checkpoint({ pendingOperations: [{ urn: "u", type: "creating" }] }) }),
      alive,
    );
    expect(derived?.status).toBe("Failure");
    expect(derived?.note).toBe(
      "interrupted: 1 operation(s) left pending; the next operation recovers them",
    );
  });

  test("an in-flight record whose holder died before the engine locked", () => {
    const derived = deriveStatus(facts({ operation: operationStarted("up", holder) }), gone);
    expect(derived?.status).toBe("Failure");
    expect(derived?.note).toBe(
      "up was interrupted: its holder ci@build-1 (pid 4242) since 2026-11-22T08:00:00.000Z is gone; the next operation recovers its pending changes",
    );
  });

  test("a remote holder without an engine lock past the grace period", () => {
    const derived = deriveStatus(facts({ operation: operationStarted("up", holder) }), alive);
    expect(derived?.status).toBe("Failure");
    expect(derived?.note).toContain("the engine holds no lock for it");
  });
});

describe("status at rest", () => {
  test("the engine's failed last update is a Failure with sitestack's message", () => {
    const operation = operationFinished(operationStarted("up", holder), "failed", {
      message: "up of site-acme failed: boom",
      at: now,
    });
    const derived = deriveStatus(
      facts({ lastUpdate: { ...succeeded, result: "failed" }, operation }),
      alive,
    );
    expect(derived).toMatchObject({ status: "Failure", note: "up of site-acme failed: boom" });
  });

  test("the lifecycle in the stack's own metadata: Running or Archived", () => {
    expect(deriveStatus(facts(), alive)?.status).toBe("Running");
    const archived = checkpoint({
      outputs: { [metadataOutputName]: fakeMetadata("BoxSite", { lifecycle: "archived" }) },
    });
    expect(deriveStatus(facts({ checkpoint: archived }), alive)).toMatchObject({
      status: "Archived",
      lifecycle: "archived",
    });
  });

  test("a refusal before the engine ran leaves the stack's status as it was", () => {
    const operation = operationFinished(operationStarted("up", holder), "refused", {
      message: "secret ACME_OIDC is not set",
      at: now,
    });
    expect(deriveStatus(facts({ operation }), alive)?.status).toBe("Running");
  });

  test("a stack that exists but was never deployed, or not at all, has no status", () => {
    expect(
      deriveStatus(
        facts({ lastUpdate: undefined, checkpoint: checkpoint({ resourceCount: 0, outputs: {} }) }),
        alive,
      ),
    ).toBeUndefined();
    expect(deriveStatus({ stack: "site-x", locks: [] }, alive)).toBeUndefined();
  });
});

describe("planning a run from the previous metadata", () => {
  const subject = {
    kind: "BoxSite",
    labels: { team: "shop" },
    file: "sites/acme.yaml",
    spec: "new",
  };
  const previous = fakeMetadata("BoxSite", {
    lifecycle: "archived",
    spec: "last",
    file: "sites/a.yaml",
  });
  const revive = (raw: unknown) => `revived:${String(raw)}`;

  test("up keeps an archived stack archived and applies the new spec", () => {
    expect(planRun("apply", subject, previous, revive)).toMatchObject({
      spec: "new",
      lifecycle: "archived",
      metadata: {
        lifecycle: "archived",
        spec: "new",
        file: "sites/acme.yaml",
        labels: { team: "shop" },
      },
    });
  });

  test("restore and archive apply the last applied spec, re-validated", () => {
    expect(planRun("restore", subject, previous, revive)).toMatchObject({
      spec: "revived:last",
      lifecycle: "active",
      metadata: { lifecycle: "active", spec: "last", file: "sites/a.yaml" },
    });
    expect(planRun("archive", subject, previous, revive).lifecycle).toBe("archived");
  });

  test("a first up is active", () => {
    expect(planRun("apply", subject, undefined, revive).lifecycle).toBe("active");
  });
});
