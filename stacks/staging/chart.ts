import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";

/**
 * What a chart promises sitestack, read from its `Chart.yaml`: its identity, and two annotations
 * that make the staging's `appOverrides` and `secretValues` checkable before anything runs:
 *
 * ```yaml
 * annotations:
 *   sitestack.dev/apps: box, sync, database          # top-level value keys appOverrides may set
 *   sitestack.dev/secret-values: site.oidcClientSecret, database.password
 * ```
 *
 * Secret value paths are consumed by the chart from the Secret named `global.sitestack.secretName`
 * (one key per path), so their values never pass through Helm.
 */
export interface ChartContract {
  /** The chart folder under `charts/`. */
  readonly folder: string;
  /** Absolute path of the chart folder. */
  readonly dir: string;
  /** `name` in Chart.yaml. */
  readonly name: string;
  /** `version` in Chart.yaml (semver). */
  readonly version: string;
  /** `appVersion` in Chart.yaml: the default image tag line. */
  readonly appVersion: string;
  /** Apps whose values `appOverrides` may set, each a top-level values key. */
  readonly apps: readonly string[];
  /** Value paths the chart takes only as secrets; a staging must give every one of them. */
  readonly secretValuePaths: readonly string[];
}

/** Annotation listing a chart's apps. */
export const appsAnnotation = "sitestack.dev/apps";
/** Annotation listing a chart's secret value paths. */
export const secretValuesAnnotation = "sitestack.dev/secret-values";

const semver =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

function list(annotation: unknown): string[] {
  if (typeof annotation !== "string") return [];
  return annotation
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/**
 * Reads the contract of `charts/<folder>` from its Chart.yaml. Throws when the chart is missing or
 * its version is not semver, naming the file.
 */
export async function readChartContract(chartsDir: string, folder: string): Promise<ChartContract> {
  const dir = join(chartsDir, folder);
  const file = join(dir, "Chart.yaml");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new Error(`chart "${folder}" not found: ${file} does not exist`);
  }
  const chart = (parse(text) ?? {}) as Record<string, unknown>;
  const annotations = (chart.annotations ?? {}) as Record<string, unknown>;
  const version = String(chart.version ?? "");
  if (!semver.test(version)) {
    throw new Error(`${file}: version must be semver like "0.1.0", got ${JSON.stringify(version)}`);
  }
  return {
    folder,
    dir,
    name: String(chart.name ?? folder),
    version,
    appVersion: String(chart.appVersion ?? ""),
    apps: list(annotations[appsAnnotation]),
    secretValuePaths: list(annotations[secretValuesAnnotation]),
  };
}
