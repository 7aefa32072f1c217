import { existsSync } from "node:fs";
import { mkdir, rm, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { goToolPath, goToolVersion } from "../../tools/go-tool.js";
import type { EngineSource } from "./env.js";

/** How the engine will get `pulumi-resource-kubernetes` at the version the SDK requests. */
export type KubernetesProviderSource =
  /** Already in the plugin cache (downloaded by an engine before, or placed by sitestack). */
  | "plugin-cache"
  /** Not installed yet; the engine downloads it on first use (machines with internet). */
  | "engine-download"
  /** Built now (or taken from sitestack's tool cache) from its Go module and placed in the plugin cache. */
  | "go-build";

/** What {@link ensureKubernetesProvider} found or did. */
export interface KubernetesProviderResolution {
  readonly source: KubernetesProviderSource;
  readonly version: string;
  /** The plugin folder the engine loads it from. */
  readonly pluginDirectory: string;
}

/** Input of {@link ensureKubernetesProvider}. */
export interface EnsureKubernetesProviderInput {
  /** Where the engine came from: only engines sitestack cached or built are offline. */
  readonly engineSource: EngineSource;
  /** The PULUMI_HOME the engine runs with. */
  readonly pulumiHome: string;
  /** Receives the build's progress lines (a first build takes many minutes). */
  readonly onProgress?: (line: string) => void;
}

/** Raised when the provider sitestack builds is not the version the installed SDK asks for. */
export class KubernetesProviderMismatch extends Error {
  constructor(
    readonly sdkVersion: string,
    readonly builtVersion: string,
  ) {
    super(
      `@pulumi/kubernetes ${sdkVersion} asks the engine for pulumi-resource-kubernetes ${sdkVersion}, ` +
        `but tools/versions.json builds ${builtVersion}: pin the SDK to ${builtVersion} in package.json ` +
        `(the engine looks plugins up by exact version and would otherwise try to download one)`,
    );
    this.name = "KubernetesProviderMismatch";
  }
}

const PLUGIN_FILE = "pulumi-resource-kubernetes";

/**
 * The `kubernetes` plugin version the installed `@pulumi/kubernetes` SDK requests: its package.json
 * version, which the engine looks up by exact match in the plugin cache.
 */
export function sdkKubernetesProviderVersion(): string {
  const manifest = createRequire(import.meta.url)("@pulumi/kubernetes/package.json") as {
    version?: unknown;
  };
  if (typeof manifest.version !== "string") {
    throw new Error("cannot read the version of @pulumi/kubernetes from its package.json");
  }
  return manifest.version;
}

/** `<pulumiHome>/plugins/resource-kubernetes-v<version>`, where the engine looks for the plugin. */
export function kubernetesPluginDirectory(pulumiHome: string, version: string): string {
  return join(pulumiHome, "plugins", `resource-kubernetes-v${version}`);
}

/**
 * Makes sure the engine can load the real Kubernetes provider at the SDK's version. One already in
 * the plugin cache is used as it is, and an engine from PATH or the official installer downloads it
 * on first use. An engine sitestack cached or built (a machine without download sites, where plugin
 * acquisition is turned off) gets the provider built from its Go module
 * (`tools/build-go-tool.sh pulumi-resource-kubernetes`, cached per version outside the checkout) and
 * linked into its plugin cache exactly where a downloaded one would be.
 */
export async function ensureKubernetesProvider(
  input: EnsureKubernetesProviderInput,
): Promise<KubernetesProviderResolution> {
  const version = sdkKubernetesProviderVersion();
  const pluginDirectory = kubernetesPluginDirectory(input.pulumiHome, version);
  const installed =
    existsSync(join(pluginDirectory, PLUGIN_FILE)) && !existsSync(`${pluginDirectory}.partial`);
  if (installed) return { source: "plugin-cache", version, pluginDirectory };
  if (input.engineSource !== "cache" && input.engineSource !== "build") {
    return { source: "engine-download", version, pluginDirectory };
  }
  await installBuiltKubernetesProvider({
    pulumiHome: input.pulumiHome,
    onProgress: input.onProgress,
  });
  return { source: "go-build", version, pluginDirectory };
}

/** Options of {@link installBuiltKubernetesProvider}. */
export interface InstallBuiltProviderOptions {
  /** The `PULUMI_HOME` whose plugin cache receives the provider. */
  readonly pulumiHome: string;
  /** Receives the build's progress lines. */
  readonly onProgress?: ((line: string) => void) | undefined;
}

/**
 * Builds the provider from its Go module when the tool cache lacks it, and links it into
 * `pulumiHome`'s plugin cache at the SDK's version (replacing what is there). Returns the plugin
 * folder. Throws {@link KubernetesProviderMismatch} when the SDK and tools/versions.json disagree.
 */
export async function installBuiltKubernetesProvider(
  options: InstallBuiltProviderOptions,
): Promise<string> {
  const version = sdkKubernetesProviderVersion();
  const built = await goToolVersion("pulumi-resource-kubernetes");
  if (built !== version) throw new KubernetesProviderMismatch(version, built);
  const binary = await goToolPath("pulumi-resource-kubernetes", { onProgress: options.onProgress });
  const pluginDirectory = kubernetesPluginDirectory(options.pulumiHome, version);
  await mkdir(pluginDirectory, { recursive: true });
  // A leftover `.partial` marker would make the engine treat the folder as a failed download.
  await rm(`${pluginDirectory}.partial`, { force: true });
  const executable = join(pluginDirectory, PLUGIN_FILE);
  await rm(executable, { force: true });
  // A link, not a copy: the binary is ~300 MB and the tool cache keeps it per version.
  await symlink(binary, executable);
  return pluginDirectory;
}
