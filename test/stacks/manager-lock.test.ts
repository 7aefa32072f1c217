import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { hostname } from "node:os";
import { describe, expect, test } from "vitest";
import { parseLockHolder } from "../../stacks/manager/backend/layout.js";
import { isHolderGone, isPidAlive, procStat } from "../../stacks/manager/holder.js";
import { isLockConflict, parseLockedMessage } from "../../stacks/manager/lock.js";
import { LockHeld, takeLockTurn } from "../../stacks/manager/lock-turn.js";
import { fakeBackend, fakeMetadata } from "./support/diy-backend.js";

const engineMessage = `error: the stack is currently locked by 2 lock(s). Either wait for the other process(es) to end or delete the lock file with \`pulumi cancel\`.
  file:///tmp/x/.pulumi/locks/organization/sitestack/site-acme/0d1f.json: created by ci@build-1 (pid 4242) at 2026-11-22T08:00:00Z
  file:///tmp/x/.pulumi/locks/organization/sitestack/site-acme/9a2c.json: created by alice@laptop.local (pid 17) at 2026-11-22T08:01:02+01:00`;

describe("lock holders", () => {
  test("reads user, host, pid and time from a DIY lock file", () => {
    const holder = parseLockHolder(
      '{"pid":4242,"username":"ci","hostname":"build-1","timestamp":"2026-11-22T08:00:00.123456789Z"}',
    );
    expect(holder).toEqual({
      user: "ci",
      host: "build-1",
      pid: 4242,
      since: "2026-11-22T08:00:00.123Z",
    });
  });

  test("reads every holder named in the engine's locked error", () => {
    expect(parseLockedMessage(engineMessage)).toEqual([
      { user: "ci", host: "build-1", pid: 4242, since: "2026-11-22T08:00:00.000Z" },
      { user: "alice", host: "laptop.local", pid: 17, since: "2026-11-22T07:01:02.000Z" },
    ]);
  });

  test("recognises the DIY and Pulumi Cloud lock conflicts and nothing else", () => {
    expect(isLockConflict(engineMessage)).toBe(true);
    expect(isLockConflict("[409] Conflict: Another update is currently in progress.")).toBe(true);
    expect(isLockConflict("error: update failed")).toBe(false);
  });

  test("lists the lock files of one stack in the backend", async () => {
    const backend = await fakeBackend();
    expect(await backend.facts.locks("site-acme")).toEqual([]);
    const holder = { user: "root", host: "h", pid: 1, since: "2026-11-22T08:00:00.000Z" };
    await backend.put({ stack: "site-acme", metadata: fakeMetadata("BoxSite"), locks: [holder] });
    expect(await backend.facts.locks("site-acme")).toEqual([
      { key: ".pulumi/locks/organization/sitestack/site-acme/lock-0.json", holder },
    ]);
  });
});

describe("taking a turn on a stack", () => {
  const deadHere = {
    user: "u",
    host: hostname(),
    pid: 2 ** 22 + 7,
    since: "2026-11-22T08:00:00.000Z",
  };
  const liveElsewhere = {
    user: "ci",
    host: "elsewhere",
    pid: 7,
    since: "2026-11-22T08:00:00.000Z",
  };
  const quiet = { onWaiting: () => {}, onRecovery: () => {} };

  test("removes the lock a gone holder left, and says so", async () => {
    const backend = await fakeBackend();
    await backend.put({ stack: "site-acme", metadata: fakeMetadata("BoxSite"), locks: [deadHere] });
    const notes = await takeLockTurn(backend.facts, "site-acme", {
      ...quiet,
      wait: false,
      deadline: 0,
    });
    expect(notes).toEqual([
      `removed the engine lock left by u@${hostname()} (pid ${2 ** 22 + 7}) since 2026-11-22T08:00:00.000Z, which is gone`,
    ]);
    expect(await backend.facts.locks("site-acme")).toEqual([]);
  });

  test("a live holder refuses the turn, naming the holder, and keeps its lock", async () => {
    const backend = await fakeBackend();
    await backend.put({
      stack: "site-acme",
      metadata: fakeMetadata("BoxSite"),
      locks: [liveElsewhere],
    });
    await expect(
      takeLockTurn(backend.facts, "site-acme", { ...quiet, wait: false, deadline: 0 }),
    ).rejects.toEqual(new LockHeld([liveElsewhere]));
    expect(await backend.facts.locks("site-acme")).toHaveLength(1);
  });

  test("with wait, the turn comes once the holder releases", async () => {
    const backend = await fakeBackend();
    await backend.put({
      stack: "site-acme",
      metadata: fakeMetadata("BoxSite"),
      locks: [liveElsewhere],
    });
    const waited: unknown[] = [];
    const turn = takeLockTurn(backend.facts, "site-acme", {
      wait: true,
      deadline: Date.now() + 10_000,
      onWaiting: (holders) => waited.push(holders),
      onRecovery: () => {},
    });
    setTimeout(
      () => void backend.store.remove(".pulumi/locks/organization/sitestack/site-acme/lock-0.json"),
      300,
    );
    await expect(turn).resolves.toEqual([]);
    expect(waited).toEqual([[liveElsewhere]]);
  });
});

describe("whether a holder is gone", () => {
  test("a live pid on this host is not gone", () => {
    expect(isPidAlive(process.pid)).toBe(true);
    expect(isHolderGone({ user: "u", host: hostname(), pid: process.pid, since: "" })).toBe(false);
  });

  test("a dead pid on this host is gone", () => {
    // Pids are below 2^22 on Linux, so this one never exists.
    expect(isHolderGone({ user: "u", host: hostname(), pid: 2 ** 22 + 7, since: "" })).toBe(true);
  });

  test("a killed holder nobody has reaped yet (a zombie) is gone", async () => {
    // `sh` starts a short child, then becomes `sleep 30`, which never waits for it: once the
    // child exits it stays a zombie, like a killed engine whose parent is gone.
    const parent = spawn("sh", ["-c", "sleep 0.05 & exec sleep 30"], { stdio: "ignore" });
    try {
      const zombie = await waitForZombieChildOf(parent.pid as number);
      expect(isPidAlive(zombie)).toBe(false);
      expect(isHolderGone({ user: "u", host: hostname(), pid: zombie, since: "" })).toBe(true);
      expect(isPidAlive(parent.pid as number)).toBe(true);
    } finally {
      parent.kill("SIGKILL");
    }
  });

  test("a holder on another host is never provably gone", () => {
    expect(isHolderGone({ user: "u", host: "elsewhere", pid: 2 ** 22 + 7, since: "" })).toBe(false);
  });
});

/** The pid of a zombie child of `parent`, polling /proc for up to 5 s. */
async function waitForZombieChildOf(parent: number): Promise<number> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    for (const pid of readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map(Number)) {
      const stat = procStat(pid);
      if (stat?.state === "Z" && stat.ppid === parent) return pid;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no zombie child of ${parent} appeared`);
}
