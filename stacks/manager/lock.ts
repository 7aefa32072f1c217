import type { Holder } from "../contract.js";

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
      // The same ISO form as a lock file read from the backend (parseLockHolder).
      since: isoTime(groups.since),
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

/** `text` as an ISO time with milliseconds, or as given when it is no time. */
function isoTime(text: string): string {
  const time = new Date(text);
  return Number.isNaN(time.getTime()) ? text : time.toISOString();
}
