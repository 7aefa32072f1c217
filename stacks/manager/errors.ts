import {
  EngineMissing,
  OperationFailed,
  SitestackError,
  StackLocked,
  StackNotFound,
} from "../errors.js";
import type { EngineFailure } from "./failure.js";

/**
 * The project's typed error for a classified engine failure: the one place where engine failures
 * become `StackLocked`, `StackNotFound`, `EngineMissing` or `OperationFailed` (whose exit codes and
 * HTTP statuses live in `stacks/errors.ts`).
 */
export function stackError(
  failure: EngineFailure,
  stack: string,
  verb = "operation",
): SitestackError {
  switch (failure.kind) {
    case "locked": {
      const holder = failure.holders[0];
      const error = new StackLocked(stack, holder);
      if (failure.holders.length > 1) {
        error.message += ` (and ${failure.holders.length - 1} other lock(s))`;
      }
      return error;
    }
    case "not-found":
      return new StackNotFound(stack);
    case "engine-missing":
      return new EngineMissing(failure.detail);
    case "failed":
      return new OperationFailed(stack, verb, failure.detail);
    default: {
      const unknown: never = failure;
      throw new Error(`unknown engine failure ${JSON.stringify(unknown)}`);
    }
  }
}
