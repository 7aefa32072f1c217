import {
  EngineMissing,
  OperationFailed,
  SitestackError,
  StackLocked,
  StackNotFound,
} from "../errors.js";
import { hostname } from "node:os";
import type { EngineFailure } from "./failure.js";
import type { Holder } from "../contract.js";

/**
 * What to do about a lock: wait for its holder, or clear the lock where the holder ran once that
 * process is gone (sitestack clears a lock by itself only when it can prove, on the holder's own
 * machine, that the process is gone).
 */
export function lockRemedy(
  stack: string,
  holder: Holder | undefined,
  localHost = hostname(),
): string {
  const wait = "another operation runs on it; add --wait to run after it";
  if (holder === undefined) return `${wait}`;
  return holder.host === localHost
    ? `${wait}, or stop pid ${holder.pid} if it hangs (its lock is cleared once the process is gone)`
    : `${wait}, or, if that process is gone, run \`sitestack unlock ${stack}\` on ${holder.host}`;
}

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
      error.message += `: ${lockRemedy(stack, holder)}`;
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
