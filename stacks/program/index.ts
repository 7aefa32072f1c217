import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import type { SiteSpec } from "../site-model/index.js";
import { appAzureProgram } from "./app-azure.js";
import { appKubernetesProgram } from "./app-kubernetes.js";
import { boxSiteProgram } from "./box-site.js";
import type { ProgramContext } from "../platform/program-context.js";
import { hostRouteProgram } from "./host-route.js";
import { stagingProgram } from "./staging.js";

/**
 * The production program factory: maps a parsed site spec to its kind's program (an App to its
 * target's). The switch is exhaustive, so a new kind does not compile until it has a program.
 */
export function siteProgram(spec: SiteSpec, context: ProgramContext): PulumiFn {
  switch (spec.kind) {
    case "BoxSite":
      return boxSiteProgram(spec, context);
    case "App":
      return spec.spec.target === "azure-container-apps"
        ? async () => appAzureProgram(spec, context)
        : appKubernetesProgram(spec, context);
    case "HostRoute":
      return hostRouteProgram(spec, context);
    case "Staging":
      return stagingProgram(spec, context);
    default: {
      const unknownKind: never = spec;
      throw new Error(`unknown site kind ${JSON.stringify((unknownKind as SiteSpec).kind)}`);
    }
  }
}
