import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { isHolderGone, isPidAlive, procStat } from "../../stacks/manager/holder.js";
import {
  isLockConflict,
  lockDirOf,
  parseLockedMessage,
  parseLockFile,
  readEngineLocks,
} from "../../stacks/manager/lock.js";

const engineMessage = `error: the stack is currently locked by 2 lock(s). Either wait for the other process(es) to end or delete the lock file with \`pulumi cancel\`.
  file:///tmp/x/.pulumi/locks/organization/sitestack/site-acme/0d1f.json: created by ci@build-1 (pid 4242) at 2026-11-22T08:00:00Z
  file:///tmp/x/.pulumi/locks/organization/sitestack/site-acme/9a2c.json: created by alice@laptop.local (pid 17) at 2026-11-22T08:01:02+01:00`;

describe("lock holders", () => {
  test("reads user, host, pid and time from a DIY lock file", () => {
    const lock = parseLockFile(
      "/s/a.json",
      '{"pid":4242,"username":"ci","hostname":"build-1","timestamp":"2026-11-22T08:00:00.123456789Z"}',
    );
    expect(lock).toEqual({
      file: "/s/a.json",
      holder: { user: "ci", host: "build-1", pid: 4242, since: "2026-11-22T08:00:00.123Z" },
    });
  });

  test("reads every holder named in the engine's locked error", () => {
    expect(parseLockedMessage(engineMessage)).toEqual([
      { user: "ci", host: "build-1", pid: 4242, since: "2026-11-22T08:00:00Z" },
      { user: "alice", host: "laptop.local", pid: 17, since: "2026-11-22T08:01:02+01:00" },
    ]);
  });

  test("recognises the DIY and Pulumi Cloud lock conflicts and nothing else", () => {
    expect(isLockConflict(engineMessage)).toBe(true);
    expect(isLockConflict("[409] Conflict: Another update is currently in progress.")).toBe(true);
    expect(isLockConflict("error: update failed")).toBe(false);
  });

  test("lists the lock files of one stack in a file:// backend folder", async () => {
    const state = await mkdtemp(join(tmpdir(), "sitestack-locks-"));
    expect(await readEngineLocks(state, "sitestack", "site-acme")).toEqual([]);
    const dir = lockDirOf(state, "sitestack", "site-acme");
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, "b1.json"),
      '{"pid":1,"username":"root","hostname":"h","timestamp":"2026-11-22T08:00:00Z"}',
    );
    expect(await readEngineLocks(state, "sitestack", "site-acme")).toEqual([
      {
        file: join(dir, "b1.json"),
        holder: { user: "root", host: "h", pid: 1, since: "2026-11-22T08:00:00.000Z" },
      },
    ]);
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
