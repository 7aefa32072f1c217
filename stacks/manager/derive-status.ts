import { describeHolder, type Holder } from "../contract.js";
import type { CheckpointFacts, UpdateRecord } from "./backend/layout.js";
import { metadataOf, metadataOutputName, type StackMetadata } from "./metadata.js";
import type { OperationRecord } from "./operation-record.js";
import { pendingStatusFor, type Lifecycle, type StackStatus } from "./status.js";

/** Everything the backend says about one stack, read without the engine. */
export interface StackFacts {
  readonly stack: string;
  /** The checkpoint; undefined when the stack does not exist in the backend. */
  readonly checkpoint?: CheckpointFacts;
  /** The newest update the engine recorded, if any. */
  readonly lastUpdate?: UpdateRecord;
  /** Holders of the engine's lock right now. */
  readonly locks: readonly Holder[];
  /** sitestack's record of the last operation, if the backend keeps one. */
  readonly operation?: OperationRecord;
}

/** A stack's state as every machine sees it. */
export interface DerivedStatus {
  readonly status: StackStatus;
  readonly lifecycle: Lifecycle;
  readonly metadata?: StackMetadata;
  /** Who holds the stack, while an operation is in flight. */
  readonly holder?: Holder;
  /** Why the stack is in `Failure`, or what is in flight, in one line. */
  readonly note?: string;
}

/** What else {@link deriveStatus} needs to know: whether a holder is provably gone. */
export interface DeriveOptions {
  readonly isGone: (holder: Holder) => boolean;
  readonly now: Date;
  /**
   * How long an in-flight sitestack record may go without an engine lock before it counts as dead
   * (the record is written just before the engine locks and just after it unlocks).
   * @default 120_000
   */
  readonly graceMs?: number;
}

/**
 * The status of a stack from the engine's own records (pure). In order: a live lock holder means an
 * operation is in flight; a lock whose holder is gone, pending operations in the checkpoint, or an
 * in-flight sitestack record whose holder is gone mean an interrupted run (`Failure`, which the next
 * operation recovers); a failed last update is a `Failure`; otherwise the lifecycle in the stack's
 * metadata says `Running` or `Archived`. Undefined for a stack that was never deployed (it exists
 * in the backend but no update ever ran).
 */
export function deriveStatus(facts: StackFacts, options: DeriveOptions): DerivedStatus | undefined {
  const checkpoint = facts.checkpoint;
  if (checkpoint === undefined) return undefined;
  const metadata = metadataOf(checkpoint.outputs);
  const lifecycle = metadata?.lifecycle ?? "active";
  const operation = facts.operation;
  const base = { lifecycle, ...(metadata === undefined ? {} : { metadata }) };
  const everDeployed = checkpoint.resourceCount > 0 || facts.lastUpdate?.result === "succeeded";

  const live = facts.locks.filter((holder) => !options.isGone(holder));
  if (live.length > 0) {
    const holder = live[0] as Holder;
    const verb = operation?.result === "in-progress" ? operation.verb : undefined;
    const deleting = checkpoint.pendingOperations.some((op) => op.type === "deleting");
    const status: StackStatus =
      verb !== undefined && verb !== "preview"
        ? pendingStatusFor(verb, everDeployed)
        : deleting
          ? "DeletePending"
          : everDeployed
            ? "UpdatePending"
            : "CreatePending";
    return { ...base, status, holder, note: `in flight, held by ${describeHolder(holder)}` };
  }
  if (facts.locks.length > 0) {
    return {
      ...base,
      status: "Failure",
      note: `interrupted: the engine lock of ${describeHolder(facts.locks[0] as Holder)} remains, and that holder is gone; the next operation removes it and recovers`,
    };
  }
  if (checkpoint.pendingOperations.length > 0) {
    return {
      ...base,
      status: "Failure",
      note: `interrupted: ${checkpoint.pendingOperations.length} operation(s) left pending; the next operation recovers them`,
    };
  }
  if (operation?.result === "in-progress" && operation.holder !== undefined) {
    const age = options.now.getTime() - new Date(operation.startedAt).getTime();
    const gone = options.isGone(operation.holder);
    if (gone || age > (options.graceMs ?? 120_000)) {
      return {
        ...base,
        status: "Failure",
        note: `${operation.verb} was interrupted: ${gone ? `its holder ${describeHolder(operation.holder)} is gone` : `the engine holds no lock for it (holder ${describeHolder(operation.holder)})`}; the next operation recovers its pending changes`,
      };
    }
    // Between sitestack's record and the engine's lock: in flight.
    return {
      ...base,
      status: pendingStatusFor(operation.verb === "preview" ? "up" : operation.verb, everDeployed),
      holder: operation.holder,
      note: `in flight, held by ${describeHolder(operation.holder)}`,
    };
  }
  if (facts.lastUpdate === undefined && !everDeployed) return undefined;
  if (facts.lastUpdate?.result === "failed") {
    const message = operation?.result === "failed" ? operation.message : undefined;
    return {
      ...base,
      status: "Failure",
      note: message ?? `the last ${facts.lastUpdate.kind} failed`,
    };
  }
  return { ...base, status: lifecycle === "archived" ? "Archived" : "Running" };
}

/** Stack outputs for people: the metadata output is sitestack's bookkeeping, not a site output. */
export function siteOutputs(
  outputs: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  return Object.fromEntries(Object.entries(outputs).filter(([key]) => key !== metadataOutputName));
}
