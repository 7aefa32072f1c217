import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import { goToolPath } from "../../tools/go-tool.js";
import { Staging } from "../../components/staging/index.js";
import type { StagingSpec } from "../spec/site.js";
import { renderStaging, repositoryChartsDir } from "../staging/render.js";
import type { ProgramContext } from "./context.js";

/** Where the staging program finds its charts and helm; tests point them elsewhere. */
export interface StagingProgramTools {
  /** The charts folder. @default - the repository's `charts/` */
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
      chartsDir: tools.chartsDir ?? repositoryChartsDir(),
      helm: tools.helm ?? (await goToolPath("helm")),
      kubeVersion: tools.kubeVersion,
    });
    const secretValues = Object.fromEntries(
      Object.entries(spec.spec.secretValues).map(([path, ref]) => [
        path,
        context.secret(ref.secret),
      ]),
    );
    const staging = new Staging(spec.metadata.name, {
      objects: rendered.objects,
      secretValues,
      archived: context.lifecycle === "archived",
      labels: spec.metadata.labels,
    });
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
