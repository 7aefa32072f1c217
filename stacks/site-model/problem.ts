import { escapeLine } from "../escape.js";

/**
 * One thing wrong with a site file, located well enough for an editor or a CI annotation to point
 * at it.
 */
export interface Problem {
  /** The file as the caller named it (e.g. `sites/acme.yaml`). */
  readonly file: string;
  /** 1-based line. Problems about a whole file point at line 1. */
  readonly line: number;
  /** 1-based column. */
  readonly col: number;
  /** Dotted field path such as `spec.services.users.port`; empty for file-level problems. */
  readonly path: string;
  /** What is wrong, what is allowed and, where it helps, what was found. */
  readonly message: string;
}

/** A key or index along a path into a parsed document. */
export type PathSegment = string | number;

const plainKey = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Renders a path as users read it: `spec.services.users.env.MONGO_USER`, with keys that contain dots
 * or other punctuation quoted (`spec.secretValues["db.password"]`) so the path stays unambiguous.
 */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (plainKey.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/**
 * Renders a problem in the `file:line:col: field.path: message` form used by the CLI, as one line:
 * file name, path and message are escaped with `escapeLine`.
 */
export function formatProblem(problem: Problem): string {
  const where = `${escapeLine(problem.file)}:${problem.line}:${problem.col}`;
  return problem.path === ""
    ? `${where}: ${escapeLine(problem.message)}`
    : `${where}: ${escapeLine(problem.path)}: ${escapeLine(problem.message)}`;
}
