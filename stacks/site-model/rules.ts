import type * as z from "zod";
import type { PathSegment } from "./problem.js";

/** Reports one problem at a path relative to the object a rule checks. */
export type Report = (path: readonly PathSegment[], message: string) => void;

/**
 * Runs a rule that relates several fields of one object (say, `path` needs `port`). Rules run even
 * when some fields already failed their own checks, so one run reports every problem; they must
 * therefore read their input defensively (see {@link asRecord}).
 */
export function fieldRule<T>(check: (value: unknown, report: Report) => void) {
  return [
    (value: T, ctx: z.core.$RefinementCtx<T>) => {
      check(value, (path, message) => ctx.addIssue({ code: "custom", path: [...path], message }));
    },
    { when: () => true },
  ] as const;
}

/** `value` as a plain map, or an empty map when it is anything else. */
export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
