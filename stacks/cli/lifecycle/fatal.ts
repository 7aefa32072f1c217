import { exitCodeOf, ValidationFailed } from "../../errors.js";
import { SelectionInvalid } from "./targets.js";

/** Prints an error that stopped a verb before (or outside) the fleet run; returns its exit code. */
export function reportFatal(
  error: unknown,
  mode: "tty" | "plain" | "json",
  err: (text: string) => void,
  out: (text: string) => void,
): number {
  const typed =
    error instanceof SelectionInvalid
      ? new ValidationFailed(
          error.problems.map((message) => ({
            file: "<command line>",
            line: 1,
            col: 1,
            path: "",
            message,
          })),
        )
      : error;
  const message = error instanceof Error ? error.message : String(error);
  if (mode === "json") {
    out(
      `${JSON.stringify({ type: "error", error: typed instanceof Error ? typed.name : "Error", message })}\n`,
    );
  } else {
    err(`error: ${message}\n`);
  }
  return exitCodeOf(typed);
}
