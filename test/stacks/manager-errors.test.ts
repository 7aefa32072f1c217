import { CommandError, ConcurrentUpdateError } from "@pulumi/pulumi/automation/index.js";
import { describe, expect, test } from "vitest";
import {
  EngineMissing,
  exitCodeOf,
  OperationFailed,
  StackLocked,
  StackNotFound,
} from "../../stacks/errors.js";
import { lockRemedy, stackError } from "../../stacks/manager/errors.js";
import { classifyEngineError, engineErrorLines } from "../../stacks/manager/failure.js";
import { createReporter, errorNote, summaryTable } from "../../stacks/cli/lifecycle/reporter.js";

// The Automation API builds these from a CommandResult; its constructor is not public API.
function engineError<T extends CommandError>(
  kind: new (...args: never[]) => T,
  message: string,
): T {
  const error = Object.create(kind.prototype) as T;
  error.message = message;
  return error;
}

const lockedMessage =
  "code: 255\n stderr: error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n  file:///s/.pulumi/locks/organization/sitestack/site-acme/a.json: created by ci@build-1 (pid 4242) at 2026-11-22T08:00:00Z";

describe("engine failures become the project's typed errors", () => {
  test("a lock conflict is StackLocked naming the holder, exit 4", () => {
    const error = stackError(
      classifyEngineError(engineError(ConcurrentUpdateError, lockedMessage)),
      "site-acme",
      "up",
    );
    expect(error).toBeInstanceOf(StackLocked);
    expect(error.message).toBe(
      "stack site-acme is locked by ci@build-1 (pid 4242) since 2026-11-22T08:00:00.000Z: another operation runs on it; add --wait to run after it, or, if that process is gone, run `sitestack unlock site-acme` on build-1",
    );
    expect(exitCodeOf(error)).toBe(4);
  });

  test("a lock held on this machine says to wait or stop the process, not to unlock elsewhere", () => {
    const holder = { user: "ana", host: "laptop", pid: 77, since: "2026-11-22T08:00:00.000Z" };
    expect(lockRemedy("site-acme", holder, "laptop")).toBe(
      "another operation runs on it; add --wait to run after it, or stop pid 77 if it hangs (its lock is cleared once the process is gone)",
    );
    expect(lockRemedy("site-acme", holder, "ci-7")).toBe(
      "another operation runs on it; add --wait to run after it, or, if that process is gone, run `sitestack unlock site-acme` on laptop",
    );
  });

  test("the DIY lock wording is recognised even in a plain CommandError", () => {
    expect(classifyEngineError(engineError(CommandError, lockedMessage)).kind).toBe("locked");
  });

  test("a missing stack is StackNotFound, exit 3", () => {
    const error = stackError(
      classifyEngineError(new Error("error: no stack named 'site-x' found")),
      "site-x",
    );
    expect(error).toBeInstanceOf(StackNotFound);
    expect(exitCodeOf(error)).toBe(3);
  });

  test("a missing pulumi binary is EngineMissing, exit 6", () => {
    const spawnError = Object.assign(new Error("spawn /opt/pulumi/bin/pulumi ENOENT"), {
      code: "ENOENT",
    });
    const error = stackError(classifyEngineError(spawnError), "site-acme");
    expect(error).toBeInstanceOf(EngineMissing);
    expect(exitCodeOf(error)).toBe(6);
  });

  test("a file that vanished (fs ENOENT) is not a missing engine", () => {
    const fsError = Object.assign(
      new Error("ENOENT: no such file or directory, rename '/state/a.json.tmp' -> '/state/a.json'"),
      { code: "ENOENT", syscall: "rename" },
    );
    const error = stackError(classifyEngineError(fsError), "site-acme", "up");
    expect(error).not.toBeInstanceOf(EngineMissing);
    expect(exitCodeOf(error)).toBe(5);
  });

  test("any other engine failure is OperationFailed with only the engine's error lines, exit 5", () => {
    const message =
      "code: 255\n stdout: Updating (site-acme)\n lots of progress\n stderr: error: update failed\nerror: resource web: connection refused\n err?: Error: Command failed with exit code 255: pulumi up";
    const error = stackError(
      classifyEngineError(engineError(CommandError, message)),
      "site-acme",
      "up",
    );
    expect(error).toBeInstanceOf(OperationFailed);
    expect(error.message).toBe(
      "up of site-acme failed: error: update failed; error: resource web: connection refused",
    );
    expect(exitCodeOf(error)).toBe(5);
  });

  test("a provider's list of reasons under one error line is kept, the announcement is not", () => {
    const stderr = [
      "error: update failed",
      "error: 2 errors occurred:",
      "\t* resource box-slowbox/box was successfully created, but the Kubernetes API server reported that it failed to fully initialize or become live: timed out waiting to be Ready",
      "\t* [Pod box-slowbox/box-7d9c]: containers with unready status: [box]",
      "",
      "Resources:",
      "    * 3 unchanged",
    ].join("\n");
    expect(engineErrorLines(stderr)).toBe(
      "error: update failed; resource box-slowbox/box was successfully created, but the Kubernetes API server reported that it failed to fully initialize or become live: timed out waiting to be Ready; [Pod box-slowbox/box-7d9c]: containers with unready status: [box]",
    );
  });

  test("without error lines the detail is the last line", () => {
    expect(engineErrorLines("one\ntwo\n\n")).toBe("two");
  });
});

describe("CLI reporting", () => {
  test("a note lists the first of several problems and points at the rest", () => {
    expect(errorNote("2 problems:\n  - secret A is not set\n  - secret B is not set")).toBe(
      "2 problems: secret A is not set (and 1 more above)",
    );
    expect(errorNote("up of site-blog failed: boom")).toBe("up of site-blog failed: boom");
  });

  test("the summary table has one row per stack with result, status, changes and note", () => {
    const table = summaryTable([
      {
        stack: "site-acme",
        result: "succeeded",
        durationMs: 4_200,
        outcome: {
          stack: "site-acme",
          verb: "up",
          status: "Running",
          summary: { byType: {}, totals: { create: 2, same: 1 }, changes: [] },
          outputs: {},
          durationMs: 4_200,
        },
      },
      {
        stack: "site-blog",
        result: "failed",
        durationMs: 900,
        error: new Error("up of site-blog failed: boom"),
      },
      { stack: "site-shop", result: "skipped", durationMs: 0 },
    ]);
    expect(table).toBe(
      [
        "STACK      RESULT     STATUS   CHANGES                TIME  NOTE",
        "site-acme  succeeded  Running  2 create, 1 unchanged  4.2s",
        "site-blog  failed     -        -                      0.9s  up of site-blog failed: boom",
        "site-shop  skipped    -        -                      0.0s",
      ].join("\n"),
    );
  });

  test("plain output prefixes every line with the stack", () => {
    let text = "";
    const reporter = createReporter("plain", (chunk) => void (text += chunk), false);
    reporter.event({ type: "start", stack: "site-acme", verb: "up" });
    reporter.event({ type: "output", stack: "site-acme", line: "+ web created" });
    reporter.event({
      type: "waiting",
      stack: "site-acme",
      holders: [{ user: "ci", host: "b1", pid: 7, since: "2026-11-22T08:00:00.000Z" }],
    });
    expect(text).toBe(
      "[site-acme] up started\n[site-acme] + web created\n[site-acme] waiting for the lock held by ci@b1 (pid 7) since 2026-11-22T08:00:00.000Z\n",
    );
  });

  test("on a terminal one live line per stack is rewritten in place with counts and elapsed time", () => {
    let text = "";
    const reporter = createReporter("tty", (chunk) => void (text += chunk), false);
    reporter.event({ type: "start", stack: "site-acme", verb: "up" });
    reporter.event({
      type: "resource",
      stack: "site-acme",
      op: "create",
      resourceType: "t",
      urn: "u",
      count: 3,
    });
    reporter.finish([]);
    expect(text).toContain("\x1b[1A\x1b[J");
    expect(text).toMatch(/\[site-acme\] up running · 3 resources · \d+\.\ds\n/);
  });

  test("JSON output is one parseable object per line", () => {
    let text = "";
    const reporter = createReporter("json", (chunk) => void (text += chunk), false);
    reporter.event({ type: "start", stack: "site-acme", verb: "preview" });
    reporter.finish([{ stack: "site-acme", result: "skipped", durationMs: 0 }]);
    const lines = text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string });
    expect(lines.map((line) => line.type)).toEqual(["start", "summary"]);
  });
});
