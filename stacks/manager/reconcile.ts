import { describeHolder, type Holder } from "./holder.js";
import type { StackRecord } from "./registry.js";
import { isPending } from "./status.js";

/** What else is known about a stack besides its registry record. */
export interface ReconcileFacts {
  /** Whether a holder is provably gone (ran on this host, pid no longer alive). */
  readonly isGone: (holder: Holder) => boolean;
  /**
   * Holders of the engine's lock, when the backend's lock files can be read (`file://`);
   * undefined otherwise.
   */
  readonly engineLocks?: readonly Holder[];
  readonly now: Date;
  /**
   * How long an in-flight record may go without an engine lock before it counts as dead: the
   * registry is written just before the engine locks and just after it unlocks.
   * @default 120_000
   */
  readonly graceMs?: number;
}

/**
 * Reconciles a registry record with the facts: an operation recorded as in flight whose holder
 * died is a `Failure` (not Pending forever), with a message that says so. A record at rest, or one
 * whose holder may still be running, is returned unchanged.
 */
export function reconcileRecord(record: StackRecord, facts: ReconcileFacts): StackRecord {
  const operation = record.lastOperation;
  if (!isPending(record.status) || operation?.holder === undefined) return record;
  const holder = operation.holder;
  const why = deathOf(holder, operation.startedAt, facts);
  if (why === undefined) return record;
  return {
    ...record,
    status: "Failure",
    lastOperation: {
      ...operation,
      result: "failed",
      message: `${operation.verb} was interrupted: ${why}; the next operation recovers its pending changes`,
    },
  };
}

function deathOf(holder: Holder, startedAt: string, facts: ReconcileFacts): string | undefined {
  if (facts.isGone(holder)) return `its holder ${describeHolder(holder)} is gone`;
  const age = facts.now.getTime() - new Date(startedAt).getTime();
  if (
    facts.engineLocks !== undefined &&
    facts.engineLocks.length === 0 &&
    age > (facts.graceMs ?? 120_000)
  ) {
    return `the engine holds no lock for it (holder ${describeHolder(holder)})`;
  }
  return undefined;
}
