import type { Holder } from "../contract.js";
import type { LifecycleVerb } from "./status.js";

/**
 * How one sitestack operation ended: `refused` means it stopped before the engine ran (bad site
 * file, missing secret, lock held), so the stack itself did not change.
 */
export type OperationResult = "in-progress" | "succeeded" | "failed" | "refused";

/**
 * sitestack's own record of the last operation on a stack, kept in the backend beside the engine's
 * objects: who runs it and which verb (the engine's lock file knows only the process), and the one
 * line that says why it failed. Status is derived from the engine's records first; this record only
 * names what they cannot.
 */
export interface OperationRecord {
  readonly verb: LifecycleVerb;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly result: OperationResult;
  /** Who runs it; kept while it is in flight so a dead holder can be told apart. */
  readonly holder?: Holder;
  /** Why it failed or was refused, scrubbed of secret values. */
  readonly message?: string;
  /** What recovery did before the operation, if anything was pending. */
  readonly recovery?: string;
}

/** The record of an operation that starts now. */
export function operationStarted(verb: LifecycleVerb, holder: Holder): OperationRecord {
  return { verb, startedAt: holder.since, result: "in-progress", holder };
}

/** The same operation, finished (the holder is dropped: nobody holds the stack any more). */
export function operationFinished(
  started: OperationRecord,
  result: Exclude<OperationResult, "in-progress">,
  details: { readonly message?: string; readonly recovery?: string; readonly at?: Date } = {},
): OperationRecord {
  return {
    verb: started.verb,
    startedAt: started.startedAt,
    finishedAt: (details.at ?? new Date()).toISOString(),
    result,
    ...(details.message === undefined ? {} : { message: details.message }),
    ...(details.recovery === undefined ? {} : { recovery: details.recovery }),
  };
}

/** Parses a stored record; anything unreadable counts as no record. */
export function parseOperationRecord(text: string): OperationRecord | undefined {
  try {
    const raw = JSON.parse(text) as Partial<OperationRecord>;
    return typeof raw.verb === "string" &&
      typeof raw.startedAt === "string" &&
      typeof raw.result === "string"
      ? (raw as OperationRecord)
      : undefined;
  } catch {
    return undefined;
  }
}
