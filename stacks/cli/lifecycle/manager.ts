import { join, resolve } from "node:path";
import { sharedEngine } from "../../engine/resolve.js";
import { StackManager } from "../../manager/manager.js";
import { siteProgram } from "../../program/index.js";
import type { SiteSpec } from "../../spec/site.js";

/**
 * Where Kubernetes objects go: `render` (the default: YAML files under
 * `.sitestack/rendered/<stack>/`, no cluster needed) or `cluster` (`SITESTACK_KUBERNETES=cluster`:
 * the cluster of `KUBECONFIG`).
 */
export function kubernetesStackConfig(
  projectDir: string,
  env: Readonly<Record<string, string | undefined>>,
): ((stack: string) => Record<string, string>) | undefined {
  if (env.SITESTACK_KUBERNETES === "cluster") return undefined;
  const root = resolve(projectDir, env.SITESTACK_RENDER_DIR ?? join(".sitestack", "rendered"));
  return (stack) => ({ "kubernetes:renderYamlToDirectory": join(root, stack) });
}

/**
 * The stack manager the CLI uses: the project in the current folder, the shared engine (resolved on
 * the first operation, never for status/list), the site program dispatcher. Backend and secrets
 * provider come from the environment (see docs/stacks.md).
 */
export async function cliStackManager(
  projectDir: string = process.cwd(),
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<StackManager<SiteSpec>> {
  const stackConfig = kubernetesStackConfig(projectDir, env);
  return new StackManager<SiteSpec>({
    projectDir,
    engine: sharedEngine,
    program: siteProgram,
    ...(stackConfig === undefined ? {} : { stackConfig }),
  });
}
