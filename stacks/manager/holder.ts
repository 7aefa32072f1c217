import { readFileSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import type { Holder } from "../contract.js";

/** The current process as a holder. */
export function currentHolder(now: Date = new Date()): Holder {
  return { user: safeUserName(), host: hostname(), pid: process.pid, since: now.toISOString() };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    // A uid without a passwd entry (containers) has no name; the uid still identifies it.
    return String(process.getuid?.() ?? "unknown");
  }
}

/**
 * Whether a holder is provably gone: it ran on this host and its pid is no longer alive. A holder on
 * another host can never be proved gone from here, so it counts as alive.
 */
export function isHolderGone(holder: Holder, localHost: string = hostname()): boolean {
  if (holder.host !== localHost) return false;
  return !isPidAlive(holder.pid);
}

/**
 * Whether a process with this pid exists and can still act (signal 0 checks without sending
 * anything). A zombie — killed, but not yet reaped by a parent that may never do it, as under a
 * container init that does not reap — answers signal 0 yet can never release its lock, so it
 * counts as gone.
 */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  return !isZombie(pid);
}

/** Linux only (/proc); elsewhere nothing is known to be a zombie. */
function isZombie(pid: number): boolean {
  return procStat(pid)?.state === "Z";
}

/**
 * A process's state letter and parent pid from `/proc/<pid>/stat`; undefined when it is gone or
 * there is no /proc.
 */
export function procStat(
  pid: number,
): { readonly state: string; readonly ppid: number } | undefined {
  try {
    // "pid (comm) state ppid …": comm may contain spaces and parentheses, so read after the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return state === undefined ? undefined : { state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}
