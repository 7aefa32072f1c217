import type { Problem } from "./site-model/index.js";
import { describeHolder, type Holder } from "./contract.js";

/**
 * What each typed error means to a shell and to an HTTP client, in one table: the CLI exits with
 * `exitCode`, the commander answers with `httpStatus`. Anything that is not one of these errors is an
 * internal error: exit code 1, HTTP 500.
 */
export const errorTable = {
  /** A site file or request is invalid; nothing was applied. 400 when the body is not even parseable. */
  ValidationFailed: { exitCode: 2, httpStatus: 422, malformedHttpStatus: 400 },
  /** The stack (or site file) named does not exist. */
  StackNotFound: { exitCode: 3, httpStatus: 404 },
  /** Another operation holds the stack's lock. */
  StackLocked: { exitCode: 4, httpStatus: 409 },
  /** The engine ran and the operation failed (a resource error, a provider error…). */
  OperationFailed: { exitCode: 5, httpStatus: 500 },
  /** The Pulumi engine (CLI, language host or a provider) is not installed and cannot be built. */
  EngineMissing: { exitCode: 6, httpStatus: 503 },
} as const;

/** Exit code of success. */
export const exitOk = 0;
/** Exit code and HTTP status of anything unexpected. */
export const internalError = { exitCode: 1, httpStatus: 500 } as const;

/** Names of the typed errors. */
export type SitestackErrorName = keyof typeof errorTable;

/** Base of the typed errors: carries its exit code and HTTP status from {@link errorTable}. */
export abstract class SitestackError extends Error {
  abstract override readonly name: SitestackErrorName;

  /** The process exit code for this error. */
  get exitCode(): number {
    return errorTable[this.name].exitCode;
  }

  /** The HTTP status for this error. */
  get httpStatus(): number {
    return errorTable[this.name].httpStatus;
  }
}

/** A problem in one line of a message: the field path, then what is wrong and what to do. */
function problemText(problem: Problem): string {
  return `${problem.path === "" ? "" : `${problem.path}: `}${problem.message}`;
}

/** One or more site files or requests are invalid; nothing was applied. */
export class ValidationFailed extends SitestackError {
  override readonly name = "ValidationFailed" as const;

  /**
   * @param problems Every problem found, each with file, line, column and field path.
   * @param malformed True when the input could not be parsed at all (HTTP 400 instead of 422).
   */
  constructor(
    readonly problems: readonly Problem[],
    readonly malformed = false,
  ) {
    super(
      problems.length === 1
        ? `1 problem: ${problemText(problems[0]!)}`
        : `${problems.length} problems:${problems.map((problem) => `\n  - ${problemText(problem)}`).join("")}`,
    );
  }

  override get httpStatus(): number {
    return this.malformed
      ? errorTable.ValidationFailed.malformedHttpStatus
      : errorTable.ValidationFailed.httpStatus;
  }
}

/** The stack does not exist. */
export class StackNotFound extends SitestackError {
  override readonly name = "StackNotFound" as const;

  /**
   * @param stackName The stack looked for, e.g. `site-acme`.
   * @param explanation Where it was looked for and what to run, when the caller knows more than
   *   the name (the CLI names the backend, its stacks and the site file).
   */
  constructor(
    readonly stackName: string,
    explanation?: string,
  ) {
    super(
      explanation ??
        `stack ${stackName} does not exist (run \`sitestack up\` on its site file first)`,
    );
  }
}

/** Who holds a stack's lock: the stack contract's {@link Holder}. */
export type LockHolder = Holder;

/** Another operation holds the stack's lock. */
export class StackLocked extends SitestackError {
  override readonly name = "StackLocked" as const;

  /**
   * @param stackName The locked stack.
   * @param holder Who holds the lock, when known.
   */
  constructor(
    readonly stackName: string,
    readonly holder?: LockHolder,
  ) {
    super(
      holder === undefined
        ? `stack ${stackName} is locked by another operation`
        : `stack ${stackName} is locked by ${describeHolder(holder)}`,
    );
  }
}

/** The engine ran and the operation failed. */
export class OperationFailed extends SitestackError {
  override readonly name = "OperationFailed" as const;

  /**
   * @param stackName The stack operated on.
   * @param operation The verb, e.g. `up`.
   * @param detail What the engine reported.
   */
  constructor(
    readonly stackName: string,
    readonly operation: string,
    readonly detail: string,
  ) {
    super(`${operation} of ${stackName} failed: ${detail}`);
  }
}

/** The Pulumi engine is missing and cannot be built here. */
export class EngineMissing extends SitestackError {
  override readonly name = "EngineMissing" as const;

  /** @param detail What is missing and how to get it. */
  constructor(readonly detail: string) {
    super(`the Pulumi engine is missing: ${detail}`);
  }
}

/** The exit code for any thrown value: the table's for typed errors, 1 for anything else. */
export function exitCodeOf(error: unknown): number {
  return error instanceof SitestackError ? error.exitCode : internalError.exitCode;
}

/** The HTTP status for any thrown value: the table's for typed errors, 500 for anything else. */
export function httpStatusOf(error: unknown): number {
  return error instanceof SitestackError ? error.httpStatus : internalError.httpStatus;
}
