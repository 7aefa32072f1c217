/**
 * Where a stack stands against a time to live, counted from its last change (the last `up`,
 * `archive` or `restore`): a stack nobody touched for that long, running idle or archived, is due
 * for cleanup. Cleanup itself is always an explicit command (`sitestack cleanup --expired`), never a
 * side effect of `status` or `list`.
 */
export type TtlStatus =
  | { readonly state: "none" }
  | { readonly state: "live"; readonly expiresAt: Date; readonly remainingHours: number }
  | { readonly state: "expired"; readonly expiresAt: Date; readonly overdueHours: number };

/** The parts of a stack's status a {@link TtlRule} reads. */
export interface TtlSubject {
  /** The kind the stack's metadata records (`Staging`, `BoxSite`…). */
  readonly kind: string;
  /** The spec of the last applied run. */
  readonly lastAppliedSpec?: unknown;
  /** When the engine last finished an operation on the stack (undefined: never). */
  readonly lastChange?: Date;
}

/**
 * Which stacks expire and when: given by whoever wires the manager (for site files,
 * `stackTtlStatus` of stacks/staging/ttl.ts), so the generic status view knows no kind.
 */
export type TtlRule = (subject: TtlSubject, now: Date) => TtlStatus;

/** The rule of a manager told none: no stack expires. */
export const neverExpires: TtlRule = () => ({ state: "none" });

const hourMs = 3_600_000;

/** The TTL status of a stack last changed at `lastChange` that lives `hours`, as of `now`. Pure. */
export function ttlStatusAfter(lastChange: Date, hours: number, now: Date): TtlStatus {
  const expiresAt = new Date(lastChange.getTime() + hours * hourMs);
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

/** One line for `status`/`list`: "", "expires in 2d 3h", "expired 5h ago: due for cleanup". */
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
