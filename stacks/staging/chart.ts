import { lstatSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse } from "yaml";
import { chartNameProblem, maxFileBytes, readRegularFileText } from "../site-model/index.js";

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
 * Reads the contract of `charts/<folder>` from its Chart.yaml. The folder is a chart name as site
 * files allow it (`chartNameProblem`), checked again here because it may come from a stored spec:
 * the resolved folder must sit directly in `chartsDir` and be a real folder (not a link), and
 * Chart.yaml a regular file of at most 1 MiB. Throws when any of that fails, when the chart is
 * missing or when its version is not semver, naming the file.
 */
export async function readChartContract(chartsDir: string, folder: string): Promise<ChartContract> {
  const nameProblem = chartNameProblem(folder);
  if (nameProblem !== undefined) throw new Error(`chart ${JSON.stringify(folder)}: ${nameProblem}`);
  const root = resolve(chartsDir);
  const dir = join(root, folder);
  if (dirname(dir) !== root) {
    throw new Error(`chart ${JSON.stringify(folder)}: must be a folder directly under ${root}`);
  }
  const file = join(dir, "Chart.yaml");
  let isFolder = false;
  try {
    isFolder = lstatSync(dir).isDirectory();
  } catch {
    throw new Error(`chart ${JSON.stringify(folder)} not found: ${file} does not exist`);
  }
  if (!isFolder) {
    throw new Error(
      `chart ${JSON.stringify(folder)}: ${dir} must be a folder, not a link or a file`,
    );
  }
  const read = readRegularFileText(file, { what: "Chart.yaml", maxBytes: maxFileBytes });
  if (!read.ok) {
    if (read.message === "cannot read file: ENOENT") {
      throw new Error(`chart ${JSON.stringify(folder)} not found: ${file} does not exist`);
    }
    throw new Error(`${file}: ${read.message}`);
  }
  const chart = (parse(read.text) ?? {}) as Record<string, unknown>;
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
