import { existsSync } from "node:fs";
import { join } from "node:path";
import { installStandinKubernetesProvider } from "./kubernetes-standin/install.js";
import { standinProviderVersion } from "./kubernetes-standin/version.js";
import type { EngineSource } from "./env.js";

/** How the engine will get `pulumi-resource-kubernetes` at the version the SDK requests. */
export type KubernetesProviderSource =
  /** Already in the plugin cache (a real install, or a stand-in placed there before). */
  | "plugin-cache"
  /** Not installed yet; the engine downloads the real one on first use (machines with internet). */
  | "engine-download"
  /** Placed now: sitestack's offline stand-in (docs/kubernetes-standin.md). */
  | "offline-stand-in";

/** What {@link ensureKubernetesProvider} found or did. */
export interface KubernetesProviderResolution {
  readonly source: KubernetesProviderSource;
  readonly version: string;
  /** The plugin folder the engine will load from, when it is on disk. */
  readonly pluginDirectory: string;
}

/** Input of {@link ensureKubernetesProvider}. */
export interface EnsureKubernetesProviderInput {
  /** Where the engine came from: only engines sitestack cached or built are offline. */
  readonly engineSource: EngineSource;
  /** The PULUMI_HOME the engine runs with. */
  readonly pulumiHome: string;
  /** Receives the one-line warning when the stand-in is used. */
  readonly warn?: (message: string) => void;
}

/**
 * Makes sure the engine can load a Kubernetes provider. The real provider always wins: one in the
 * plugin cache is used as it is, and an engine that came from PATH or the official installer
 * downloads it on first use. Only an engine sitestack cached or built from Go modules (a machine
 * without download sites, where plugin acquisition is turned off) gets the offline stand-in, and
 * only in sitestack's own PULUMI_HOME, so a user's `~/.pulumi` never holds it.
 */
export async function ensureKubernetesProvider(
  input: EnsureKubernetesProviderInput,
): Promise<KubernetesProviderResolution> {
  const version = standinProviderVersion();
  const pluginDirectory = join(input.pulumiHome, "plugins", `resource-kubernetes-v${version}`);
  const installed =
    existsSync(join(pluginDirectory, "pulumi-resource-kubernetes")) &&
    !existsSync(`${pluginDirectory}.partial`);
  if (installed) return { source: "plugin-cache", version, pluginDirectory };
  if (input.engineSource !== "cache" && input.engineSource !== "build") {
    return { source: "engine-download", version, pluginDirectory };
  }
  await installStandinKubernetesProvider({
    pulumiHome: input.pulumiHome,
    version,
    ...(input.warn ? { warn: input.warn } : {}),
  });
  return { source: "offline-stand-in", version, pluginDirectory };
}
