import { describe, expect, test } from "vitest";
import {
  EngineMissing,
  errorTable,
  exitCodeOf,
  httpStatusOf,
  OperationFailed,
  StackLocked,
  StackNotFound,
  ValidationFailed,
} from "../../stacks/errors.js";

describe("typed errors", () => {
  test.each([
    ["ValidationFailed", new ValidationFailed([]), 2, 422],
    ["ValidationFailed (malformed)", new ValidationFailed([], true), 2, 400],
    ["StackNotFound", new StackNotFound("site-acme"), 3, 404],
    ["StackLocked", new StackLocked("site-acme"), 4, 409],
    ["OperationFailed", new OperationFailed("site-acme", "up", "boom"), 5, 500],
    ["EngineMissing", new EngineMissing("no pulumi CLI"), 6, 503],
    ["a plain Error", new Error("x"), 1, 500],
    ["a thrown string", "x", 1, 500],
  ] as const)("%s maps to exit %i and HTTP %i", (_name, error, exitCode, httpStatus) => {
    expect(exitCodeOf(error)).toBe(exitCode);
    expect(httpStatusOf(error)).toBe(httpStatus);
  });

  test("exit codes are distinct and none is 0 or 1", () => {
    const codes = Object.values(errorTable).map((row) => row.exitCode);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.filter((code) => code <= 1)).toEqual([]);
  });

  test("StackLocked names its holder", () => {
    const error = new StackLocked("site-acme", {
      user: "ana",
      host: "ci-7",
      pid: 4242,
      since: "2026-01-02T03:04:05.000Z",
    });
    expect(error.message).toBe(
      "stack site-acme is locked by ana@ci-7 (pid 4242) since 2026-01-02T03:04:05.000Z",
    );
    expect(error.name).toBe("StackLocked");
  });

  test("ValidationFailed with one problem says which", () => {
    const error = new ValidationFailed([
      { file: "sites/acme.yaml", line: 8, col: 11, path: "spec.domain", message: "must be x" },
    ]);
    expect(error.message).toBe("1 problem: spec.domain: must be x");
  });

  test("ValidationFailed with several problems lists every one, each with what to do", () => {
    const error = new ValidationFailed([
      { file: "site-acme", line: 1, col: 1, path: "", message: "secret A is not set: export …" },
      { file: "sites/acme.yaml", line: 8, col: 11, path: "spec.domain", message: "must be x" },
    ]);
    expect(error.message).toBe(
      "2 problems:\n  - secret A is not set: export …\n  - spec.domain: must be x",
    );
  });
});
