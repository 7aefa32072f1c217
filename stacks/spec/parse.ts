import { basename, extname } from "node:path";
import { CORE_SCHEMA, load, YAMLException } from "js-yaml";
import type * as z from "zod";
import { describeValue, siteErrorMap } from "./messages.js";
import { locatorFor, type Anchor, type Locator } from "./positions.js";
import { formatPath, type PathSegment, type Problem } from "./problem.js";
import { siteSchema, type SiteSpec } from "./site.js";

/** The outcome of reading one site file: its spec, or every problem found in it. */
export type ParseResult =
  | { readonly ok: true; readonly spec: SiteSpec }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** Options of {@link parseSiteText}. */
export interface ParseOptions {
  /**
   * Whether `metadata.name` must equal the file's base name. Turn it off for documents that do not
   * come from a file in `sites/` (say, a request body), where `fileName` only labels problems.
   * @default true
   */
  readonly matchFileName?: boolean;
}

/** A problem before it is placed in the file: where in the document, and what. */
interface PendingProblem {
  readonly path: readonly PathSegment[];
  readonly anchor: Anchor;
  readonly message: string;
}

/**
 * Parses and validates the text of one site file (YAML, or JSON, which is YAML too). `fileName` is
 * used in problems as given and, by its base name, for the rule that `metadata.name` equals the
 * file name (see {@link ParseOptions.matchFileName}).
 *
 * Never throws: anything wrong with the text, including input no YAML parser accepts, comes back as
 * problems with a line and a column.
 */
export function parseSiteText(
  text: string,
  fileName: string,
  options: ParseOptions = {},
): ParseResult {
  let data: unknown;
  try {
    // The fast parser keeps no source positions; positions are computed only for failing files.
    data = load(text, { schema: CORE_SCHEMA, filename: fileName });
  } catch (error) {
    return { ok: false, problems: [syntaxProblem(error, fileName)] };
  }
  if (data === undefined || data === null) {
    return {
      ok: false,
      problems: [
        {
          file: fileName,
          line: 1,
          col: 1,
          path: "",
          message: "file is empty; a site file is a map with apiVersion, kind, metadata and spec",
        },
      ],
    };
  }

  const result = siteSchema.safeParse(data, { error: siteErrorMap });
  const pending = result.success ? [] : result.error.issues.flatMap(toPending);
  if (options.matchFileName ?? true) pending.push(...fileNameRule(data, fileName));
  if (result.success && pending.length === 0) return { ok: true, spec: result.data };
  return { ok: false, problems: placeProblems(pending, text, fileName) };
}

/** Places pending problems in the text, ordered by position. */
function placeProblems(
  pending: readonly PendingProblem[],
  text: string,
  fileName: string,
): Problem[] {
  const locate: Locator = locatorFor(text);
  return pending
    .map((problem) => ({
      file: fileName,
      ...locate(problem.path, problem.anchor),
      path: formatPath(problem.path),
      message: problem.message,
    }))
    .sort((a, b) => a.line - b.line || a.col - b.col);
}

function toPending(issue: z.core.$ZodIssue): PendingProblem[] {
  const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== "symbol");
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => ({
        path: [...path, key],
        anchor: "key",
        message: `unknown field ${JSON.stringify(key)}; ${issue.message}`,
      }));
    case "invalid_key":
      return [
        {
          path,
          anchor: "key",
          message: `invalid name: ${issue.issues[0]?.message ?? "not allowed here"}`,
        },
      ];
    default:
      return [{ path, anchor: "value", message: issue.message }];
  }
}

/** `sites/acme.yaml` must hold `metadata.name: acme`, so a stack is found from its file and back. */
function fileNameRule(data: unknown, fileName: string): PendingProblem[] {
  const name = (data as { metadata?: { name?: unknown } }).metadata?.name;
  if (typeof name !== "string") return [];
  const expected = basename(fileName, extname(fileName));
  if (name === expected) return [];
  return [
    {
      path: ["metadata", "name"],
      anchor: "value",
      message: `must equal the file name ${JSON.stringify(expected)} (${basename(fileName)}), got ${describeValue(name)}`,
    },
  ];
}

function syntaxProblem(error: unknown, fileName: string): Problem {
  if (error instanceof YAMLException) {
    return {
      file: fileName,
      line: (error.mark?.line ?? 0) + 1,
      col: (error.mark?.column ?? 0) + 1,
      path: "",
      message: `invalid YAML: ${error.reason}`,
    };
  }
  // js-yaml only throws YAMLException for bad input; anything else (say, a stack overflow on absurd
  // nesting) still means the file cannot be read as a site file.
  return {
    file: fileName,
    line: 1,
    col: 1,
    path: "",
    message: `cannot be parsed as YAML: ${error instanceof Error ? error.message : String(error)}`,
  };
}
