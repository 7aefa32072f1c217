import { formatPath, type PathSegment, type StagingSpec } from "../site-model/index.js";
import type { ChartContract } from "./chart.js";
import { sitestackValuePath, tagValuePath, valueAtPath, type HelmValues } from "./values.js";

/** One way a staging's values do not fit its chart, at a path under the site file's `spec`. */
export interface ChartMismatch {
  readonly path: readonly PathSegment[];
  readonly message: string;
}

type StagingBody = StagingSpec["spec"];

function quoteList(items: readonly string[]): string {
  return items.length === 0 ? "none" : items.join(", ");
}

/**
 * Checks a staging against the contract of its chart, all at once: app overrides only for the
 * chart's apps, secret values exactly at the chart's secret value paths, and no plain value where
 * the chart expects a secret or where sitestack sets the value itself (`image.tag`,
 * `global.sitestack`). Empty when the staging fits.
 */
export function chartMismatches(staging: StagingBody, chart: ChartContract): ChartMismatch[] {
  const found: ChartMismatch[] = [];
  const chartName = JSON.stringify(chart.folder);

  for (const app of Object.keys(staging.appOverrides)) {
    if (!chart.apps.includes(app)) {
      found.push({
        path: ["spec", "appOverrides", app],
        message: `chart ${chartName} has no app ${JSON.stringify(app)}; its apps are ${quoteList(chart.apps)}`,
      });
    }
  }

  for (const path of Object.keys(staging.secretValues)) {
    if (!chart.secretValuePaths.includes(path)) {
      found.push({
        path: ["spec", "secretValues", path],
        message: `chart ${chartName} takes no secret value at ${JSON.stringify(path)}; its secret values are ${quoteList(chart.secretValuePaths)}`,
      });
    }
  }
  for (const path of chart.secretValuePaths) {
    if (!Object.hasOwn(staging.secretValues, path)) {
      found.push({
        path: ["spec", "secretValues"],
        message: `chart ${chartName} needs the secret value ${JSON.stringify(path)}: add "${path}": {secret: NAME}`,
      });
    }
  }

  // The same value paths, seen from each plain layer: app overrides sit under their app's key.
  const plainLayers: Array<{ at: PathSegment[]; values: HelmValues; prefix: string }> = [
    { at: ["spec", "values"], values: staging.values, prefix: "" },
    ...Object.entries(staging.appOverrides).map(([app, values]) => ({
      at: ["spec", "appOverrides", app] as PathSegment[],
      values,
      prefix: `${app}.`,
    })),
  ];
  for (const { at, values, prefix } of plainLayers) {
    const plainAt = (path: string): PathSegment[] | undefined => {
      if (!path.startsWith(prefix)) return undefined;
      const inner = path.slice(prefix.length);
      return valueAtPath(values, inner) === undefined ? undefined : [...at, ...inner.split(".")];
    };
    for (const path of chart.secretValuePaths) {
      const where = plainAt(path);
      if (where !== undefined) {
        found.push({
          path: where,
          message: `is a secret value of chart ${chartName}: remove it here and give it in spec.secretValues as "${path}": {secret: NAME}`,
        });
      }
    }
    const tagAt = plainAt(tagValuePath);
    if (tagAt !== undefined) {
      found.push({ path: tagAt, message: "is set from spec.tag: remove it here and set spec.tag" });
    }
    const globalsAt = plainAt(sitestackValuePath);
    if (globalsAt !== undefined) {
      found.push({
        path: globalsAt,
        message:
          "is set by sitestack for every staging (staging, secretName, baseDomain): remove it",
      });
    }
  }
  return found;
}

/** Throws one error listing every mismatch, or returns when there is none. */
export function assertFitsChart(name: string, staging: StagingBody, chart: ChartContract): void {
  const found = chartMismatches(staging, chart);
  if (found.length === 0) return;
  const lines = found.map((m) => `  ${formatPath(m.path)}: ${m.message}`);
  throw new Error(
    `Staging ${JSON.stringify(name)} does not fit chart ${JSON.stringify(chart.folder)}:\n${lines.join("\n")}`,
  );
}
