import { ttlStatusAfter, type TtlRule, type TtlStatus, type TtlSubject } from "../manager/ttl.js";
import { ttlHours } from "../site-model/index.js";

/** The TTL status of a staging with `ttl` last changed at `lastChange`, as of `now`. Pure. */
export function ttlStatus(lastChange: Date, ttl: string | undefined, now: Date): TtlStatus {
  return ttl === undefined ? { state: "none" } : ttlStatusAfter(lastChange, ttlHours(ttl), now);
}

/**
 * The TTL rule of site stacks, for `status`/`list` and for choosing what `sitestack cleanup
 * --expired` removes: only `Staging` stacks with a `ttl` expire. The clock starts at the end of the
 * last operation the engine recorded: any operation counts as a touch, so a staging is never due
 * earlier than its `ttl` after someone last worked on it. The composition root gives it to the
 * manager and to the CLI's status view.
 */
export const stackTtlStatus: TtlRule = (subject: TtlSubject, now: Date) => {
  if (subject.kind !== "Staging") return { state: "none" };
  const spec = subject.lastAppliedSpec as { spec?: { ttl?: unknown } } | undefined;
  const ttl = typeof spec?.spec?.ttl === "string" ? spec.spec.ttl : undefined;
  return ttlStatus(subject.lastChange ?? now, ttl, now);
};
