import { existsSync } from "node:fs";
import { chmod, mkdir, rm, symlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { standinProviderVersion } from "./version.js";

/** Where {@link installStandinKubernetesProvider} placed the plugin. */
export interface InstalledStandin {
  readonly version: string;
  /** `<pulumiHome>/plugins/resource-kubernetes-v<version>` */
  readonly pluginDirectory: string;
  /** The plugin executable the engine will start (a symlink to the launcher). */
  readonly executable: string;
}

/** Options of {@link installStandinKubernetesProvider}. */
export interface InstallStandinOptions {
  /** The `PULUMI_HOME` whose plugin cache receives the plugin. */
  readonly pulumiHome: string;
  /** @default - the version the installed `@pulumi/kubernetes` SDK requests */
  readonly version?: string;
  /** @default - one line on stderr */
  readonly warn?: (message: string) => void;
}

const PLUGIN_FILE = "pulumi-resource-kubernetes";

/**
 * Places the offline stand-in into the engine's plugin cache as `kubernetes` at the exact
 * version the SDK requests, so the engine uses it with no download and no "from $PATH" warning.
 * Meant as the last resort when the real provider is neither installed nor installable; replaces
 * whatever is in that plugin folder. Requires the compiled provider (`npm run build`).
 */
export async function installStandinKubernetesProvider(
  options: InstallStandinOptions,
): Promise<InstalledStandin> {
  const version = options.version ?? standinProviderVersion();
  const launcher = join(packageRoot(), "stacks", "engine", "kubernetes-standin", PLUGIN_FILE);
  const entry = join(packageRoot(), "dist", "stacks", "engine", "kubernetes-standin", "main.js");
  if (!existsSync(entry)) {
    throw new Error(
      `the Kubernetes provider stand-in is not compiled: ${entry} is missing (run npm run build)`,
    );
  }
  const pluginDirectory = join(options.pulumiHome, "plugins", `resource-kubernetes-v${version}`);
  const executable = join(pluginDirectory, PLUGIN_FILE);
  await mkdir(pluginDirectory, { recursive: true });
  // A leftover `.partial` marker would make the engine treat the folder as a failed download.
  await rm(`${pluginDirectory}.partial`, { force: true });
  await rm(executable, { force: true });
  await chmod(launcher, 0o755);
  await symlink(launcher, executable);
  (options.warn ?? ((m) => process.stderr.write(`${m}\n`)))(
    `warning: the real pulumi-resource-kubernetes ${version} is not available; using sitestack's offline stand-in (render mode and server-side apply only, no readiness awaiting; see docs/kubernetes-standin.md)`,
  );
  return { version, pluginDirectory, executable };
}

// The folder holding sitestack's package.json, from this module's place in the source tree
// (stacks/engine/kubernetes-standin) or in dist/ (dist/stacks/engine/kubernetes-standin).
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) || dir.endsWith("/dist")) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find sitestack's package.json above the stand-in");
    dir = parent;
  }
  return dir;
}
