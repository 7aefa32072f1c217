import { ArgumentProblems } from "../../components/argument-problems.js";
import * as pulumi from "@pulumi/pulumi";
import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import { goToolPath } from "../../tools/go-tool.js";
import { plainSecretLeaks, Staging } from "../../components/staging/index.js";
import { readinessTimeoutSeconds, type StagingSpec } from "../site-model/index.js";
import { renderStaging, repositoryChartsDir } from "../staging/render.js";
import type { ProgramContext } from "../platform/program-context.js";
import { valueWithUnknowns } from "../platform/preview-unknowns.js";
import { kubernetesOptions } from "./kubernetes-target.js";

/** Where the staging program finds its charts and helm; tests point them elsewhere. */
export interface StagingProgramTools {
  /** The charts folder. @default - the platform's `chartsDir`, else the charts shipped with sitestack */
  readonly chartsDir?: string;
  /** The helm binary. @default - the cached helm build (`tools/build-go-tool.sh helm`), built when absent */
  readonly helm?: string;
  /** Kubernetes version charts are rendered for. @default - helm's built-in version */
  readonly kubeVersion?: string;
}

/**
 * The program of a `kind: Staging` file: renders the chart with the staging's tag and values
 * (`renderStaging`), then declares the {@link Staging} component with the rendered objects, the
 * secret values as Pulumi secrets, and the stack's lifecycle (`archived` scales compute to zero).
 *
 * Outputs: `namespace`, `hosts`, `urls`, `ingressAddress`, `archived`, `chart` (`name-version`)
 * and `tag`.
 */
export function stagingProgram(
  spec: StagingSpec,
  context: ProgramContext,
  tools: StagingProgramTools = {},
): PulumiFn {
  return async () => {
    const rendered = await renderStaging(spec, context.platform, {
      chartsDir: tools.chartsDir ?? context.platform.chartsDir ?? repositoryChartsDir(),
      helm: tools.helm ?? (await goToolPath("helm")),
      kubeVersion: tools.kubeVersion,
    });
    const secretValues = Object.fromEntries(
      Object.entries(spec.spec.secretValues).map(([path, ref]) => [
        path,
        context.secret(ref.secret),
      ]),
    );
    // A secret value typed into plain values would sit unencrypted in the state: refuse it.
    const leaks = new ArgumentProblems();
    leaks.push(
      ...plainSecretLeaks(rendered.objects, await knownValues(secretValues)).map(
        (leak) => `${leak}: give secret values only in spec.secretValues`,
      ),
    );
    leaks.throwIfAny(`Staging ${JSON.stringify(spec.metadata.name)}`);
    const staging = new Staging(
      spec.metadata.name,
      {
        objects: rendered.objects,
        secretValues,
        archived: context.lifecycle === "archived",
        labels: spec.metadata.labels,
      },
      kubernetesOptions(context, {
        cluster: spec.spec.cluster,
        readinessTimeoutSeconds: readinessTimeoutSeconds("Staging", spec.spec.readinessTimeout),
      }),
    );
    return {
      namespace: staging.namespace,
      hosts: staging.hosts,
      urls: staging.hosts.map((host) => `https://${host}/`),
      ingressAddress: staging.ingressAddress,
      archived: staging.archived,
      chart: `${rendered.chart.name}-${rendered.chart.version}`,
      tag: spec.spec.tag,
    };
  };
}

/**
 * The staging's secret values, path → value, held in memory only for the leak check; they leave
 * this program again only as Pulumi secrets. A value unknown in a preview (a secret with no value
 * on a fork's pull request) cannot be checked and is left out.
 */
async function knownValues(
  secretValues: Readonly<Record<string, pulumi.Output<string>>>,
): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(secretValues).map(async ([path, output]) => {
      const value = await valueWithUnknowns(output);
      return typeof value === "string" ? [[path, value] as const] : [];
    }),
  );
  return Object.fromEntries(entries.flat());
}
