import { envVars } from "../contract.js";
import { defaultPlatformSettings, type PlatformSettings } from "./settings.js";

/** Where rendered manifests go by default, relative to the project folder the engine runs in. */
export const defaultRenderDirectory = ".sitestack/rendered";

/**
 * The platform settings of the CLI and of plain `pulumi` through Pulumi.yaml, from the environment:
 * Kubernetes objects are rendered as YAML under `.sitestack/rendered/<stack>/` (no cluster needed)
 * unless `SITESTACK_KUBERNETES=cluster` sends them to the cluster of `KUBECONFIG`.
 * `SITESTACK_RENDER_DIR` moves the rendered files. Both ways of running call this one function
 * (through `loadPlatformSettings`, which gives the platform file's settings as `base`), so they
 * agree.
 */
export function platformFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  base: Omit<PlatformSettings, "kubernetes"> = defaultPlatformSettings,
): PlatformSettings {
  return {
    ...base,
    kubernetes:
      env[envVars.kubernetes] === "cluster"
        ? { mode: "cluster" }
        : { mode: "render", directory: env[envVars.renderDir] ?? defaultRenderDirectory },
  };
}
