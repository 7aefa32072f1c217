import { hostname, userInfo } from "node:os";

/** Who runs (or ran) an operation: enough to tell a live holder from a dead one. */
export interface Holder {
  readonly user: string;
  readonly host: string;
  readonly pid: number;
  /** ISO time the holder took the stack. */
  readonly since: string;
}

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

/** `user@host (pid N) since T`, the form every lock message uses. */
export function describeHolder(holder: Holder): string {
  return `${holder.user}@${holder.host} (pid ${holder.pid}) since ${holder.since}`;
}

/**
 * Whether a holder is provably gone: it ran on this host and its pid is no longer alive. A holder on
 * another host can never be proved gone from here, so it counts as alive.
 */
export function isHolderGone(holder: Holder, localHost: string = hostname()): boolean {
  if (holder.host !== localHost) return false;
  return !isPidAlive(holder.pid);
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
