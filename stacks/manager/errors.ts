import { describeHolder } from "./holder.js";
import type { EngineFailure } from "./failure.js";

/** A failed stack operation, carrying the classified engine failure. */
export class StackManagerError extends Error {
  constructor(
    readonly failure: EngineFailure,
    readonly stackName: string,
    readonly verb?: string,
  ) {
    super(messageOf(failure, stackName, verb));
    this.name = "StackManagerError";
  }
}

function messageOf(failure: EngineFailure, stack: string, verb: string | undefined): string {
  switch (failure.kind) {
    case "locked":
      return failure.holders.length === 0
        ? `stack ${stack} is locked by another operation`
        : `stack ${stack} is locked by ${failure.holders.map(describeHolder).join(", ")}; wait with --wait, or run \`sitestack unlock ${stack}\` once that holder is gone`;
    case "not-found":
      return `stack ${stack} does not exist (run \`sitestack up\` on its site file first)`;
    case "engine-missing":
      return `the Pulumi engine is missing: ${failure.detail}`;
    case "failed":
      return `${verb ?? "operation"} of ${stack} failed: ${failure.detail}`;
    default: {
      const unknown: never = failure;
      return String(unknown);
    }
  }
}
