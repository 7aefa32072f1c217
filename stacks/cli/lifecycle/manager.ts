import { sharedEngine } from "../../engine/resolve.js";
import { StackManager } from "../../manager/manager.js";
import { siteProgram } from "../../program/index.js";
import type { SiteSpec } from "../../spec/site.js";

/**
 * The stack manager the CLI uses: the project in the current folder, the shared engine, the site
 * program dispatcher. Backend and secrets provider come from the environment (see docs/stacks.md).
 */
export async function cliStackManager(
  projectDir: string = process.cwd(),
): Promise<StackManager<SiteSpec>> {
  const engine = await sharedEngine();
  return new StackManager<SiteSpec>({ projectDir, engine, program: siteProgram });
}
