import {
  CommandError,
  ConcurrentUpdateError,
  StackNotFoundError,
} from "@pulumi/pulumi/automation/errors.js";
import type { Holder } from "../contract.js";
import { isLockConflict, parseLockedMessage } from "./lock.js";

/**
 * What went wrong with an engine call, classified once so the manager can raise the project's typed
 * errors (see `toStackError`).
 */
export type EngineFailure =
  | { readonly kind: "locked"; readonly holders: readonly Holder[] }
  | { readonly kind: "not-found" }
  | { readonly kind: "engine-missing"; readonly detail: string }
  | { readonly kind: "failed"; readonly detail: string };

/**
 * Classifies an error thrown by the Automation API. The detail keeps only the engine's `error:`
 * lines (secret values are already masked by the engine), not the whole stderr.
 */
export function classifyEngineError(error: unknown): EngineFailure {
  const text = error instanceof Error ? error.message : String(error);
  if (error instanceof ConcurrentUpdateError || isLockConflict(text)) {
    return { kind: "locked", holders: parseLockedMessage(text) };
  }
  if (error instanceof StackNotFoundError || /no stack named '[^']+' found/.test(text)) {
    return { kind: "not-found" };
  }
  // Only a binary that could not be started: a file missing elsewhere (a cache written by a
  // concurrent operation) is an ordinary failure, not an engine to install.
  if (/^spawn .*ENOENT/.test(text) || /spawn .*pulumi ENOENT/.test(text)) {
    return { kind: "engine-missing", detail: text };
  }
  if (error instanceof CommandError || error instanceof Error) {
    return { kind: "failed", detail: engineErrorLines(text) };
  }
  return { kind: "failed", detail: text };
}

/**
 * The `error:` lines of an engine failure with the `* …` lines a provider lists under one (the
 * Kubernetes provider's "3 errors occurred:" followed by the reasons: "timed out waiting to be
 * Ready", "containers with unready status: [box]"), or its last non-empty line when it has none.
 */
export function engineErrorLines(text: string): string {
  const lines = text
    .split("\n")
    .map((line) => line.trim().replace(/^stderr: /, ""))
    .filter((line) => line !== "");
  const picked: string[] = [];
  let underError = false;
  for (const line of lines) {
    if (/^error:/.test(line)) {
      underError = true;
      // "error: 2 errors occurred:" only announces the list that follows.
      if (!/^error: \d+ errors? occurred:?$/.test(line)) picked.push(line);
    } else if (underError && line.startsWith("* ")) {
      picked.push(line.slice(2));
    } else {
      underError = false;
    }
  }
  const chosen = picked.length > 0 ? picked : lines.slice(-1);
  return [...new Set(chosen)].join("; ").slice(0, 2_000);
}
