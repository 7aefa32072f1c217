import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Holder } from "./holder.js";

/**
 * The engine's lock for a stack on a DIY backend: one JSON file per holder under
 * `.pulumi/locks/organization/<project>/<stack>/` (pulumi `pkg/backend/diy/lock.go`).
 */
export interface EngineLock {
  /** The lock file, so `unlock` can remove exactly the dead holder's file. */
  readonly file: string;
  readonly holder: Holder;
}

/** The folder holding a stack's lock files inside a `file://` backend folder. */
export function lockDirOf(stateDir: string, project: string, stack: string): string {
  return join(stateDir, ".pulumi", "locks", "organization", project, stack);
}

/** Parses one DIY lock file (`{pid, username, hostname, timestamp}`). */
export function parseLockFile(file: string, text: string): EngineLock {
  const raw = JSON.parse(text) as {
    pid?: unknown;
    username?: unknown;
    hostname?: unknown;
    timestamp?: unknown;
  };
  return {
    file,
    holder: {
      user: typeof raw.username === "string" ? raw.username : "unknown",
      host: typeof raw.hostname === "string" ? raw.hostname : "unknown",
      pid: typeof raw.pid === "number" ? raw.pid : 0,
      since: typeof raw.timestamp === "string" ? new Date(raw.timestamp).toISOString() : "unknown",
    },
  };
}

/** Reads every lock on a stack in a `file://` backend; none when the folder does not exist. */
export async function readEngineLocks(
  stateDir: string,
  project: string,
  stack: string,
): Promise<EngineLock[]> {
  const dir = lockDirOf(stateDir, project, stack);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const locks: EngineLock[] = [];
  for (const name of names.filter((n) => n.endsWith(".json"))) {
    const file = join(dir, name);
    try {
      locks.push(parseLockFile(file, await readFile(file, "utf8")));
    } catch (error) {
      // Released between listing and reading: not a lock any more.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw error;
    }
  }
  return locks;
}

/**
 * Removes one lock file (the caller has proved its holder gone), with the `.attrs` file the
 * engine's blob library writes beside it.
 */
export async function removeEngineLock(lock: EngineLock): Promise<void> {
  await rm(lock.file, { force: true });
  await rm(`${lock.file}.attrs`, { force: true });
}

const lockLine = /created by (?<user>[^@\s]*)@(?<host>\S+) \(pid (?<pid>\d+)\) at (?<since>\S+)/g;

/**
 * The holders named in the engine's "the stack is currently locked by N lock(s)" error, for
 * backends whose lock files cannot be read directly (S3, Azure Blob, Postgres).
 */
export function parseLockedMessage(message: string): Holder[] {
  return [...message.matchAll(lockLine)].map((match) => {
    const groups = match.groups as Record<"user" | "host" | "pid" | "since", string>;
    return {
      user: groups.user,
      host: groups.host,
      pid: Number(groups.pid),
      since: groups.since,
    };
  });
}

/** Whether an engine error is a lock conflict (DIY wording, or Pulumi Cloud's 409). */
export function isLockConflict(message: string): boolean {
  return (
    message.includes("the stack is currently locked by") ||
    message.includes("[409] Conflict: Another update is currently in progress")
  );
}
