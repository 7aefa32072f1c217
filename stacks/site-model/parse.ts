import { basename, extname } from "node:path";
import { YAMLException } from "js-yaml";
import type * as z from "zod";
import { recordFrames } from "./fast-positions.js";
import { maxFileBytes, maxNestingDepth, maxProblemsPerFile } from "./limits.js";
import { describeValue, siteErrorMap } from "./messages.js";
import {
  locatorFor,
  sourceIndexFor,
  type Anchor,
  type IrregularNumber,
  type Locator,
} from "./positions.js";
import { formatPath, type PathSegment, type Problem } from "./problem.js";
import { secretRefExtraFieldsMessage } from "./secret-ref.js";
import { shapeProblems } from "./shape.js";
import { siteSchema, type SiteSpec } from "./site.js";
import { loadCore, parserDepthGuard, sawIrregularNumber } from "./yaml-core.js";

/** The outcome of reading one site file: its spec, or every problem found in it. */
export type ParseResult =
  | { readonly ok: true; readonly spec: SiteSpec }
  | {
      readonly ok: false;
      /** At most `maxProblemsPerFile`, then one problem counting the rest. */
      readonly problems: readonly Problem[];
      /** Problems found but not listed (counted in the last listed one). */
      readonly omitted: number;
    };

/** Options of {@link parseSiteText}. */
export interface ParseOptions {
  /**
   * Whether `metadata.name` must equal the file's base name. Turn it off for documents that do not
   * come from a file in `sites/` (say, a request body), where `fileName` only labels problems.
   * @default true
   */
  readonly matchFileName?: boolean;
}

/**
 * A kind of YAML document sitestack reads with positions: site files, and the platform file
 * (`sitestack.yaml`) through the same machinery.
 */
export interface DocumentForm<T> {
  /** The schema the parsed document must satisfy. */
  readonly schema: z.ZodType<T>;
  /** What the document is called in messages: "site file". */
  readonly what: string;
  /** What its top must look like, for an empty file: "a map with apiVersion, kind, metadata and spec". */
  readonly shape: string;
}

/** The outcome of {@link parseDocumentText}: its value, or every problem found in it. */
export type DocumentResult<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly problems: readonly Problem[];
      readonly omitted: number;
    };

const siteForm: DocumentForm<SiteSpec> = {
  schema: siteSchema,
  what: "site file",
  shape: "a map with apiVersion, kind, metadata and spec",
};

/** Files longer than this (64 KiB; site files are a few) keep node positions from the first parse. */
const recordPositionsFrom = 64 * 1024;

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
 * Never throws: anything wrong with the text, including input no YAML parser accepts or text over
 * the file size bound (`maxFileBytes`), comes back as problems with a line and a column.
 */
export function parseSiteText(
  text: string,
  fileName: string,
  options: ParseOptions = {},
): ParseResult {
  const result = parseDocumentText(text, fileName, siteForm);
  // `sites/acme.yaml` holds `metadata.name: acme`, whatever else is wrong with the file.
  const nameProblems =
    (options.matchFileName ?? true) && result.data !== undefined
      ? fileNameRule(result.data, fileName)
      : [];
  if (nameProblems.length > 0) {
    const all = [...result.pending, ...nameProblems];
    return { ok: false, ...placeProblems(all, result.locate, fileName) };
  }
  return result.ok
    ? { ok: true, spec: result.value }
    : { ok: false, problems: result.problems, omitted: result.omitted };
}

/**
 * Parses and validates the text of one YAML document of `form` (see {@link parseSiteText}, which
 * this is for site files). Never throws: anything wrong with the text comes back as problems with
 * a line and a column.
 */
export function parseDocument<T>(
  text: string,
  fileName: string,
  form: DocumentForm<T>,
): DocumentResult<T> {
  const result = parseDocumentText(text, fileName, form);
  return result.ok
    ? { ok: true, value: result.value }
    : { ok: false, problems: result.problems, omitted: result.omitted };
}

/** What a parse found: the result, and what a caller needs to add problems of its own. */
type ParseState<T> = (
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly Problem[]; readonly omitted: number }
) & {
  /** The parsed data, when the text was a document at all. */
  readonly data?: unknown;
  readonly pending: readonly PendingProblem[];
  readonly locate: Locator;
};

function parseDocumentText<T>(
  text: string,
  fileName: string,
  form: DocumentForm<T>,
): ParseState<T> {
  const noPosition: Locator = () => ({ line: 1, col: 1 });
  // Text that does not come from a file (a request body) is held to the file size bound too. A
  // UTF-16 unit is at most three UTF-8 bytes, so most texts need no byte count.
  const bytes = text.length * 3 <= maxFileBytes ? 0 : Buffer.byteLength(text, "utf8");
  if (bytes > maxFileBytes) {
    const message = `is ${bytes} bytes; a ${form.what} may be at most ${maxFileBytes} bytes (1 MiB)`;
    return {
      ok: false,
      problems: [{ file: fileName, line: 1, col: 1, path: "", message }],
      omitted: 0,
      pending: [],
      locate: noPosition,
    };
  }
  let data: unknown;
  // The fast parser keeps no source positions; positions are computed only for failing files. A big
  // file records where its nodes are while it is parsed: should it have problems (a big one often
  // has thousands), placing them then costs no second parse.
  const recorder = text.length > recordPositionsFrom ? recordFrames() : undefined;
  try {
    data = loadCore(text, fileName, parserDepthGuard, recorder?.listener);
  } catch (error) {
    return {
      ok: false,
      problems: [syntaxProblem(error, fileName)],
      omitted: 0,
      pending: [],
      locate: noPosition,
    };
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
          message: `file is empty; a ${form.what} is ${form.shape}`,
        },
      ],
      omitted: 0,
      pending: [],
      locate: noPosition,
    };
  }

  let locator: Locator | undefined;
  const locate: Locator = (path, anchor) => (locator ??= locatorFor(text, recorder))(path, anchor);
  const shape = shapeProblems(data);
  const pending: PendingProblem[] = shape.map(({ path, anchor, message }) => ({
    path,
    anchor,
    message,
  }));
  // Too big or cyclic: nothing else may walk it, the schema included.
  if (shape.some((problem) => problem.fatal)) {
    // No file name rule either: nothing may walk the document.
    return { ok: false, ...placeProblems(pending, locate, fileName), pending: [], locate };
  }

  const result = form.schema.safeParse(data, { error: siteErrorMap });
  let schemaPending = result.success ? [] : result.error.issues.flatMap(toPending);
  if (sawIrregularNumber()) {
    const numbers = numberProblems(data, form.schema, sourceIndexFor(text).irregularNumbers());
    const reported = new Set(numbers.map((problem) => formatPath(problem.path)));
    // A number's own form problem replaces what the schema said about the value it stands for.
    schemaPending = schemaPending.filter(
      (problem) => problem.anchor === "key" || !reported.has(formatPath(problem.path)),
    );
    pending.push(...numbers);
  }
  pending.push(...schemaPending);
  if (result.success && pending.length === 0) {
    return { ok: true, value: result.data, data, pending, locate };
  }
  return { ok: false, ...placeProblems(pending, locate, fileName), data, pending, locate };
}

/**
 * Places pending problems in the text, ordered by position, and keeps the first
 * {@link maxProblemsPerFile}; one more problem, where the next would have been, counts the rest.
 */
function placeProblems(
  pending: readonly PendingProblem[],
  locate: Locator,
  fileName: string,
): { problems: Problem[]; omitted: number } {
  const placed = pending
    .map((problem) => ({
      file: fileName,
      ...locate(problem.path, problem.anchor),
      path: formatPath(problem.path),
      message: problem.message,
    }))
    .sort((a, b) => a.line - b.line || a.col - b.col);
  if (placed.length <= maxProblemsPerFile) return { problems: placed, omitted: 0 };
  const omitted = placed.length - maxProblemsPerFile;
  const next = placed[maxProblemsPerFile]!;
  return {
    problems: [
      ...placed.slice(0, maxProblemsPerFile),
      {
        file: fileName,
        line: next.line,
        col: next.col,
        path: "",
        message: `…and ${omitted} more problem${omitted === 1 ? "" : "s"} (at most ${maxProblemsPerFile} are listed per file)`,
      },
    ],
    omitted,
  };
}

/**
 * Problems of numbers not written as plain decimal digits within the safe integer range (see
 * `sawIrregularNumber`). One beyond the safe range is wrong everywhere: it would silently become
 * another number. Another form (`0x10`, `1e3`, `080`) stands for its YAML 1.2 value in free-form
 * chart values, but is wrong wherever the schema types a number: which those are, the schema
 * itself tells when it is run again with each such number replaced by its source text.
 */
function numberProblems(
  data: unknown,
  schema: z.ZodType,
  numbers: readonly IrregularNumber[],
): PendingProblem[] {
  const problems: PendingProblem[] = [];
  const restore: Array<() => void> = [];
  const replaced = new Map<string, IrregularNumber>();
  for (const number of numbers) {
    if (Number.isInteger(number.value) && !Number.isSafeInteger(number.value)) {
      problems.push({
        path: number.path,
        anchor: "value",
        message: `must be a whole number from ${-Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER} to be read exactly, got ${number.source}; quote it if it is text`,
      });
      continue;
    }
    const parent = valueAt(data, number.path.slice(0, -1));
    const key = number.path[number.path.length - 1];
    if (typeof parent !== "object" || parent === null || key === undefined) continue;
    const holder = parent as Record<PathSegment, unknown>;
    if (holder[key] !== number.value && !Number.isNaN(number.value)) continue;
    const original = holder[key];
    holder[key] = number.source;
    restore.push(() => void (holder[key] = original));
    replaced.set(formatPath(number.path), number);
  }
  if (replaced.size === 0) return problems;
  let issues: z.core.$ZodIssue[];
  try {
    const retried = schema.safeParse(data, { error: siteErrorMap });
    issues = retried.success ? [] : retried.error.issues;
  } finally {
    for (const undo of restore.reverse()) undo();
  }
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys" || issue.code === "invalid_key") continue;
    const path = issue.path.filter(
      (segment): segment is PathSegment => typeof segment !== "symbol",
    );
    const number = replaced.get(formatPath(path));
    if (number === undefined) continue;
    replaced.delete(formatPath(path));
    const like = Number.isFinite(number.value) ? ` like ${number.value}` : "";
    problems.push({
      path: number.path,
      anchor: "value",
      message: `must be a whole number written in plain decimal digits${like}, got ${number.source}`,
    });
  }
  return problems;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let node = root;
  for (const segment of path) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, segment))
      return undefined;
    node = (node as Record<PathSegment, unknown>)[segment];
  }
  return node;
}

function toPending(issue: z.core.$ZodIssue): PendingProblem[] {
  const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== "symbol");
  switch (issue.code) {
    case "unrecognized_keys":
      if (issue.message === secretRefExtraFieldsMessage) {
        return [{ path, anchor: "value", message: issue.message }];
      }
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
      message: /^nesting exceeded maxDepth/.test(error.reason)
        ? `nests maps and lists deeper than ${maxNestingDepth} levels`
        : `invalid YAML: ${clip(error.reason)}`,
    };
  }
  // js-yaml only throws YAMLException for bad input; anything else (say, a stack overflow on absurd
  // nesting) still means the file cannot be read as a site file.
  return {
    file: fileName,
    line: 1,
    col: 1,
    path: "",
    message: `cannot be parsed as YAML: ${clip(error instanceof Error ? error.message : String(error))}`,
  };
}

/** A parser's reason can quote the input (an alias name…): keep it to one readable line. */
function clip(reason: string): string {
  return reason.length > 200 ? `${reason.slice(0, 200)}…` : reason;
}
