import { ttlHours } from "../site-model/staging.js";

/**
 * Where a staging stands against its `ttl`, counted from its last change (the last `up`,
 * `archive` or `restore`): a staging nobody touched for that long, running idle or archived, is
 * due for cleanup. Cleanup itself is always an explicit command (`sitestack cleanup --expired`),
 * never a side effect of `status` or `list`.
 */
export type TtlStatus =
  | { readonly state: "none" }
  | { readonly state: "live"; readonly expiresAt: Date; readonly remainingHours: number }
  | { readonly state: "expired"; readonly expiresAt: Date; readonly overdueHours: number };

const hourMs = 3_600_000;

/** The TTL status of a staging last changed at `lastChange`, as of `now`. Pure. */
export function ttlStatus(lastChange: Date, ttl: string | undefined, now: Date): TtlStatus {
  if (ttl === undefined) return { state: "none" };
  const expiresAt = new Date(lastChange.getTime() + ttlHours(ttl) * hourMs);
  const leftMs = expiresAt.getTime() - now.getTime();
  return leftMs > 0
    ? { state: "live", expiresAt, remainingHours: Math.floor(leftMs / hourMs) }
    : {
        state: "expired",
        expiresAt,
        overdueHours: Math.floor((now.getTime() - expiresAt.getTime()) / hourMs),
      };
}

function hoursText(hours: number): string {
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  if (days === 0) return `${rest}h`;
  return rest === 0 ? `${days}d` : `${days}d ${rest}h`;
}

/** One line for `status`/`list`: "", "expires in 2d 3h", "expired 5h ago: run sitestack cleanup". */
export function describeTtlStatus(status: TtlStatus): string {
  switch (status.state) {
    case "none":
      return "";
    case "live":
      return `expires in ${hoursText(status.remainingHours)}`;
    case "expired":
      return `expired ${hoursText(status.overdueHours)} ago: due for cleanup`;
    default: {
      const never: never = status;
      return never;
    }
  }
}

/** The parts of a stack's status {@link stackTtlStatus} reads. */
export interface TtlSubject {
  readonly kind: string;
  /** The spec of the last applied run; a Staging's holds `spec.ttl`. */
  readonly lastAppliedSpec?: unknown;
  /** When the engine last finished an operation on the stack (undefined: never). */
  readonly lastChange?: Date;
}

/**
 * The TTL status of a stack, for `status`/`list` and for choosing what `sitestack cleanup --expired`
 * removes. Only `Staging` stacks with a `ttl` expire. The clock starts at the end of the last
 * operation the engine recorded: any operation counts as a touch, so a staging is never due earlier
 * than its `ttl` after someone last worked on it.
 */
export function stackTtlStatus(subject: TtlSubject, now: Date): TtlStatus {
  if (subject.kind !== "Staging") return { state: "none" };
  const spec = subject.lastAppliedSpec as { spec?: { ttl?: unknown } } | undefined;
  const ttl = typeof spec?.spec?.ttl === "string" ? spec.spec.ttl : undefined;
  return ttlStatus(subject.lastChange ?? now, ttl, now);
}
