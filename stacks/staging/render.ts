import { ArgumentProblems } from "../../components/argument-problems.js";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  stagingNameProblem,
  stagingNames,
  type KubernetesObject,
  type StagingNames,
} from "../../components/staging/index.js";
import type { PlatformSettings } from "../platform/settings.js";
import type { StagingSpec } from "../site-model/index.js";
import { readChartContract, type ChartContract } from "./chart.js";
import { assertFitsChart } from "./check.js";
import { helmTemplate } from "./helm.js";
import { mergeStagingValues, type HelmValues } from "./values.js";

/** Where {@link renderStaging} finds charts and helm. */
export interface StagingRenderTools {
  /** The folder holding the charts (`charts/` of the repository). */
  readonly chartsDir: string;
  /** Path of the helm binary. */
  readonly helm: string;
  /** Kubernetes version to render for. @default - helm's built-in version */
  readonly kubeVersion?: string;
}

/** A staging rendered to plain objects, ready for the Staging component. */
export interface RenderedStaging {
  readonly names: StagingNames;
  readonly chart: ChartContract;
  /** The values given to Helm (no secret value among them). */
  readonly values: HelmValues;
  /** The chart's objects. */
  readonly objects: readonly KubernetesObject[];
}

/**
 * The base domain of automatic staging hosts: `<staging>.staging.<testDomainBase>`, one level
 * below the box sites' `<code>.<testDomainBase>` so a staging never takes a site's test host.
 */
export function stagingBaseDomain(platform: PlatformSettings): string {
  return `staging.${platform.testDomainBase}`;
}

/**
 * Renders a staging: checks it against its chart's contract, merges its values in the documented
 * order (see `mergeStagingValues`) and runs `helm template`. Secret values are not read here: the
 * chart receives only the name of the Secret that will hold them.
 */
export async function renderStaging(
  staging: StagingSpec,
  platform: PlatformSettings,
  tools: StagingRenderTools,
): Promise<RenderedStaging> {
  const name = staging.metadata.name;
  const problems = new ArgumentProblems();
  problems.rule(stagingNameProblem(name), "name", name);
  problems.throwIfAny(`Staging ${JSON.stringify(name)}`);
  const names = stagingNames(name);
  const chart = await readChartContract(tools.chartsDir, staging.spec.chart);
  assertFitsChart(name, staging.spec, chart);
  const values = mergeStagingValues({
    appOverrides: staging.spec.appOverrides as Record<string, HelmValues>,
    values: staging.spec.values as HelmValues,
    tag: staging.spec.tag,
    sitestack: {
      staging: name,
      secretName: names.secretName,
      baseDomain: stagingBaseDomain(platform),
    },
  });
  const objects = await helmTemplate({
    helm: tools.helm,
    chartDir: chart.dir,
    release: names.release,
    namespace: names.namespace,
    values,
    kubeVersion: tools.kubeVersion,
  });
  return { names, chart, values, objects };
}

/**
 * The repository's `charts/` folder, found by walking up from this module, so it works both from
 * the TypeScript sources and from the compiled `dist/stacks/staging/`.
 */
export function repositoryChartsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "charts");
    if (existsSync(join(dir, "package.json")) && existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no charts/ folder above ${import.meta.url}`);
    dir = parent;
  }
}
