import * as z from "zod";
import { readinessTimeoutField } from "./readiness.js";
import { describeValue } from "./messages.js";
import { clusterName, dnsLabel } from "./primitives.js";
import { asRecord, fieldRule } from "./rules.js";
import { secretRef } from "./secret-ref.js";

/**
 * Pattern of a chart name: a plain folder name directly under `charts/` (lowercase letters, digits,
 * ".", "_" and "-", starting and ending with a letter or digit, at most 63), so no site file or
 * stored spec can name anything outside that folder. Carried into the JSON Schema.
 */
export const chartNamePattern = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;

/**
 * Why `value` is not a chart name (see {@link chartNamePattern}), or `undefined` when it is one.
 * The one rule for the site file schema and for `readChartContract`, which gets names from stored
 * specs too.
 */
export function chartNameProblem(value: string): string | undefined {
  if (chartNamePattern.test(value)) return undefined;
  const found = describeValue(value);
  if (value.includes("/") || value.includes("\\")) {
    return `must be a folder name directly under charts/, without "/", got ${found}`;
  }
  if (value === "." || value === "..") return `must be a folder name under charts/, not ${found}`;
  return `must be a chart folder name of lowercase letters, digits, ".", "_" and "-" (at most 63) like "box", got ${found}`;
}

/** A chart folder name under `charts/`: nothing outside that folder can be reached from a file. */
const chartName = z.string().regex(chartNamePattern, {
  error: (issue) => chartNameProblem(String(issue.input)),
});

/** A value path into the chart's values, dotted: `db.password`. */
const valuePath = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/, {
  error: (issue) =>
    `must be a dotted value path like "db.password", got ${describeValue(issue.input)}`,
});

const freeForm = z.record(z.string(), z.unknown());

/** `spec` of a `kind: Staging` file: one QA staging from a chart (seed 004). */
export const stagingBody = z
  .strictObject({
    chart: chartName.meta({ description: "Folder under charts/ holding the Helm chart." }),
    tag: z
      .string()
      .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, {
        error: (issue) =>
          `must be an image tag (letters, digits, "_", "." and "-", at most 128) like "1.4.0" or "pr-42", got ${describeValue(issue.input)}`,
      })
      .meta({ description: "Image tag deployed by the chart." }),
    values: freeForm.default({}).meta({ description: "Staging-level values passed to the chart." }),
    secretValues: z
      .record(valuePath, secretRef)
      .default({})
      .meta({ description: "Staging-level secret values: dotted value path → secret reference." }),
    appOverrides: z
      .record(dnsLabel, freeForm)
      .default({})
      .meta({ description: "App-level values: app name in the chart → values for that app." }),
    ttl: z
      .string()
      .regex(/^[1-9][0-9]{0,3}[hd]$/, {
        error: (issue) =>
          `must be a duration in hours or days like "72h" or "7d", got ${describeValue(issue.input)}`,
      })
      .optional()
      .meta({ description: "Time after which cleanup may remove the staging." }),
    cluster: clusterName,
    readinessTimeout: readinessTimeoutField("Staging"),
  })
  .superRefine(
    ...fieldRule((value, report) => {
      const staging = asRecord(value);
      for (const path of Object.keys(asRecord(staging.secretValues))) {
        if (valueAt(staging.values, path) !== undefined) {
          report(
            ["secretValues", path],
            `is also set in values; a value is either plain or secret`,
          );
        }
      }
    }),
  );

function valueAt(root: unknown, dotted: string): unknown {
  let node: unknown = root;
  for (const key of dotted.split(".")) {
    const map = asRecord(node);
    if (!Object.hasOwn(map, key)) return undefined;
    node = map[key];
  }
  return node;
}

/** Hours a staging `ttl` stands for (`72h` → 72, `7d` → 168). */
export function ttlHours(ttl: string): number {
  const amount = Number(ttl.slice(0, -1));
  return ttl.endsWith("d") ? amount * 24 : amount;
}
