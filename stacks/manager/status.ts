/**
 * The status of a stack, seed 004's model shared by every kind: three states at rest (`Running`,
 * `Failure`, `Archived`) and three while an operation is in flight.
 */
export type StackStatus =
  "Running" | "Failure" | "Archived" | "CreatePending" | "UpdatePending" | "DeletePending";

/** The operations that change a stack (`preview`, `status`, `outputs`… never change its status). */
export type MutatingVerb = "up" | "refresh" | "destroy" | "archive" | "restore" | "cleanup";

/** Every lifecycle verb the manager runs. */
export type LifecycleVerb = MutatingVerb | "preview";

/** Whether a status means an operation is (or was, if its holder died) in flight. */
export function isPending(status: StackStatus): boolean {
  return status === "CreatePending" || status === "UpdatePending" || status === "DeletePending";
}

/**
 * The status shown while `verb` runs. A first `up` creates; `archive`, `destroy` and `cleanup`
 * delete (archive deletes the compute, as in seed 004 where "delete" is archive); the rest update.
 */
export function pendingStatusFor(verb: MutatingVerb, everSucceeded: boolean): StackStatus {
  switch (verb) {
    case "up":
      return everSucceeded ? "UpdatePending" : "CreatePending";
    case "restore":
    case "refresh":
      return "UpdatePending";
    case "archive":
    case "destroy":
    case "cleanup":
      return "DeletePending";
    default: {
      const unknownVerb: never = verb;
      throw new Error(`unknown verb ${String(unknownVerb)}`);
    }
  }
}

/** Whether the stack's compute is deployed (`active`) or removed with its data kept (`archived`). */
export type Lifecycle = "active" | "archived";
