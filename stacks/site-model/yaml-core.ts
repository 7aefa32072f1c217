import * as jsYaml from "js-yaml";
import { FAILSAFE_SCHEMA, load, type LoadOptions, Type } from "js-yaml";
import { maxNestingDepth } from "./limits.js";

// js-yaml exports its built-in types as `types`; @types/js-yaml does not declare them.
const { types } = jsYaml as unknown as { readonly types: Record<"null" | "bool", Type> };

/**
 * Plain decimal digits, the only way a site file writes a whole number where the schema wants one
 * (`port: 8080`, `siteId: 1042`). Other YAML 1.2 core forms of the same number (`0x1F90`, `0o17`,
 * `8.08e3`, `080`, `+8080`) are rejected there; see {@link sawIrregularNumber}.
 */
export const plainDecimalInteger = /^-?(0|[1-9][0-9]*)$/;

const coreInteger = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const coreFloat =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/**
 * js-yaml's own nesting bound, passed to every parse: it only guards js-yaml's recursion (it
 * counts block levels its own way); the documented bound is checked exactly by `shapeProblems`.
 */
export const parserDepthGuard = 4 * maxNestingDepth;

let irregular = false;

/**
 * Whether {@link loadCore} has constructed, since it was last called, a whole (or infinite) number
 * not written as plain decimal digits within the safe integer range. Such a number means the same
 * in free-form chart values as YAML 1.2 says, but must be reported in a field typed as a number;
 * only such rare files pay for finding out which it is.
 */
export function sawIrregularNumber(): boolean {
  return irregular;
}

function noteForm(source: string, value: number): number {
  if (
    !irregular &&
    (Number.isInteger(value) || !Number.isFinite(value)) &&
    !(plainDecimalInteger.test(source) && Number.isSafeInteger(value))
  ) {
    irregular = true;
  }
  return value;
}

// The YAML 1.2 core schema's int: decimal with an optional sign, 0o octal, 0x hexadecimal. No
// YAML 1.1 forms (0b binary, 1_000, 0777 as octal, sexagesimal), which stay strings.
const intType = new Type("tag:yaml.org,2002:int", {
  kind: "scalar",
  resolve: (data: string | null) => data !== null && coreInteger.test(data),
  construct: (data: string) => {
    let value: number;
    if (data.startsWith("0o")) value = parseInt(data.slice(2), 8);
    else if (data.startsWith("0x")) value = parseInt(data.slice(2), 16);
    else value = Number(data);
    return noteForm(data, value);
  },
  predicate: (object: unknown) => typeof object === "number" && Number.isInteger(object),
  represent: (object: object) => String(object),
});

// The YAML 1.2 core schema's float, without YAML 1.1's underscores and sexagesimal forms.
const floatType = new Type("tag:yaml.org,2002:float", {
  kind: "scalar",
  resolve: (data: string | null) => data !== null && coreFloat.test(data),
  construct: (data: string) => {
    const lower = data.toLowerCase();
    let value: number;
    if (lower.endsWith(".inf")) value = lower.startsWith("-") ? -Infinity : Infinity;
    else if (lower === ".nan") value = Number.NaN;
    else value = Number(data);
    return noteForm(data, value);
  },
  predicate: (object: unknown) => typeof object === "number",
  represent: (object: object) => String(object),
});

/**
 * The YAML 1.2 core schema, strictly: js-yaml's own `CORE_SCHEMA` is its JSON schema, which also
 * reads YAML 1.1 numbers (`0b101`, `1_000`). Its null and bool types already follow YAML 1.2 core
 * (`yes`, `on` are strings).
 */
export const strictCoreSchema = FAILSAFE_SCHEMA.extend({
  implicit: [types.null, types.bool, intType, floatType],
});

/**
 * Parses one YAML document with {@link strictCoreSchema} and the nesting bound, resetting
 * {@link sawIrregularNumber}; `listener` gets js-yaml's node events. Throws js-yaml's
 * `YAMLException` for bad input.
 */
export function loadCore(
  text: string,
  fileName: string,
  maxDepth: number,
  listener?: (event: "open" | "close", state: { position: number; result: unknown }) => void,
): unknown {
  irregular = false;
  // `maxDepth` and `listener` are js-yaml options its types do not declare.
  const options: LoadOptions & { maxDepth: number; listener?: typeof listener } = {
    schema: strictCoreSchema,
    filename: fileName,
    maxDepth,
    ...(listener === undefined ? {} : { listener }),
  };
  return load(text, options);
}
