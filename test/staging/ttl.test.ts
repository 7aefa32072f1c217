import { describe, expect, test } from "vitest";
import { describeTtlStatus } from "../../stacks/manager/ttl.js";
import { stackTtlStatus, ttlStatus } from "../../stacks/staging/ttl.js";

const lastChange = new Date("2026-11-01T10:00:00Z");

describe("ttlStatus", () => {
  test("a staging without ttl never expires", () => {
    expect(ttlStatus(lastChange, undefined, new Date("2030-01-01T00:00:00Z"))).toEqual({
      state: "none",
    });
  });

  test("counts hours left before the ttl", () => {
    expect(ttlStatus(lastChange, "72h", new Date("2026-11-02T09:30:00Z"))).toEqual({
      state: "live",
      expiresAt: new Date("2026-11-04T10:00:00Z"),
      remainingHours: 48,
    });
  });

  test("expires exactly at last change + ttl", () => {
    expect(ttlStatus(lastChange, "7d", new Date("2026-11-08T10:00:00Z"))).toEqual({
      state: "expired",
      expiresAt: new Date("2026-11-08T10:00:00Z"),
      overdueHours: 0,
    });
  });

  test("counts overdue hours after the ttl", () => {
    expect(ttlStatus(lastChange, "1d", new Date("2026-11-03T15:00:00Z"))).toMatchObject({
      state: "expired",
      overdueHours: 29,
    });
  });
});

describe("describeTtlStatus", () => {
  test.each([
    [{ state: "none" } as const, ""],
    [{ state: "live", expiresAt: lastChange, remainingHours: 51 } as const, "expires in 2d 3h"],
    [{ state: "live", expiresAt: lastChange, remainingHours: 5 } as const, "expires in 5h"],
    [
      { state: "expired", expiresAt: lastChange, overdueHours: 48 } as const,
      "expired 2d ago: due for cleanup",
    ],
  ])("%j reads %j", (status, text) => {
    expect(describeTtlStatus(status)).toBe(text);
  });
});

describe("stackTtlStatus", () => {
  const record = {
    kind: "Staging",
    lastAppliedSpec: { kind: "Staging", spec: { ttl: "1d" } },
    lastChange: new Date("2026-11-01T10:00:00Z"),
  };

  test("counts from the end of the last operation the engine recorded", () => {
    expect(stackTtlStatus(record, new Date("2026-11-02T12:00:00Z"))).toEqual({
      state: "expired",
      expiresAt: new Date("2026-11-02T10:00:00Z"),
      overdueHours: 2,
    });
  });

  test("a staging without ttl and every other kind never expire", () => {
    const later = new Date("2030-01-01T00:00:00Z");
    expect(stackTtlStatus({ ...record, lastAppliedSpec: { spec: {} } }, later)).toEqual({
      state: "none",
    });
    expect(stackTtlStatus({ ...record, kind: "BoxSite" }, later)).toEqual({ state: "none" });
  });
});
