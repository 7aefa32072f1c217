import type * as z from "zod";

const maxShownLength = 60;

/**
 * Describes a value the way a user wrote it in YAML, short enough for one line of output:
 * `"www.acme.com"`, `the number 42`, `a list`, `a map`, `nothing`.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") {
    const shown = value.length > maxShownLength ? `${value.slice(0, maxShownLength)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "boolean") return `the boolean ${value}`;
  if (Array.isArray(value)) return "a list";
  if (value instanceof Date) return "a date";
  if (typeof value === "object") return "a map";
  return `a ${typeof value}`;
}

/** The YAML-facing name of a zod type, for "expected …" messages. */
function expectedName(expected: string): string {
  switch (expected) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "int":
      return "a whole number";
    case "boolean":
      return "true or false";
    case "object":
    case "record":
      return "a map";
    case "array":
      return "a list";
    default:
      return expected;
  }
}

/** Lists allowed literal values: `"full" or "strict"`, `"1m", "5m" or "15m"`. */
export function listAllowed(values: readonly unknown[]): string {
  const shown = values.map((v) => JSON.stringify(v));
  if (shown.length <= 1) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} or ${shown[shown.length - 1]}`;
}

type RawIssue = z.core.$ZodRawIssue;

/**
 * Zod's default messages ("Invalid input: expected string, received number") say neither what a site
 * file may contain nor what was found. This error map is passed to every parse so that messages a
 * schema does not set itself still say what is allowed and what was found. Messages set on a schema
 * (`{ error: … }`) take precedence over this map.
 */
export function siteErrorMap(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type": {
      const expected = expectedName(String(issue.expected));
      if (issue.input === undefined) return `is required (${expected})`;
      return `must be ${expected}, got ${describeValue(issue.input)}`;
    }
    case "invalid_value":
      if (issue.input === undefined) {
        const allowed = listAllowed(issue.values);
        return `is required (${issue.values.length === 1 ? allowed : `one of ${allowed}`})`;
      }
      if (issue.values.length === 1) {
        return `must be ${listAllowed(issue.values)}, got ${describeValue(issue.input)}`;
      }
      return `must be one of ${listAllowed(issue.values)}, got ${describeValue(issue.input)}`;
    case "unrecognized_keys":
      return `allowed fields: ${allowedKeysOf(issue.inst)}`;
    case "too_small":
      if (issue.origin === "string" && issue.minimum === 1) return "must not be empty";
      if (issue.origin === "object" || issue.origin === "record") {
        return `must have at least ${issue.minimum} entr${issue.minimum === 1 ? "y" : "ies"}`;
      }
      return `must be at least ${issue.minimum}, got ${describeValue(issue.input)}`;
    case "too_big":
      if (issue.origin === "string") {
        return `must be at most ${issue.maximum} characters long, got ${describeValue(issue.input)}`;
      }
      return `must be at most ${issue.maximum}, got ${describeValue(issue.input)}`;
    case "invalid_key":
      return "has an invalid key";
    default:
      return undefined;
  }
}

/** The declared keys of the strict object a zod issue came from, for "allowed fields" lists. */
function allowedKeysOf(inst: unknown): string {
  const shape = (inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod
    ?.def?.shape;
  const keys = shape === undefined ? [] : Object.keys(shape);
  return keys.length === 0 ? "none" : keys.join(", ");
}
