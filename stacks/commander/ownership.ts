import { existsSync } from "node:fs";
import { join } from "node:path";
import { StackNotFound } from "../errors.js";
import { siteNameOfStack } from "../contract.js";
import type { StackManager } from "../manager/manager.js";
import type { SiteSpec } from "../site-model/index.js";

/**
 * Which source owns a stack's spec. A site file owns its stack: a file in the commander's own
 * `sites/` folder (its checkout, changed through git and review), or the file a CLI or pipeline
 * deployed it from (the stack's metadata names it). Only a stack the API created (no file) takes
 * specs from the API. Lifecycle verbs (refresh, archive, restore, cleanup) and previews operate on
 * any stack; only submitting a spec replaces what a file says.
 * @returns Why the API may not replace the stack's spec, or undefined when it may.
 */
export async function fileOwnerOf(
  stack: string,
  projectDir: string,
  manager: StackManager<SiteSpec>,
): Promise<string | undefined> {
  const site = siteNameOfStack(stack);
  if (site !== undefined) {
    for (const extension of ["yaml", "yml"]) {
      const file = join("sites", `${site}.${extension}`);
      if (existsSync(join(projectDir, file))) {
        return `${stack} is owned by the site file ${file} in the commander's project: change that file (through git) instead of submitting a spec`;
      }
    }
  }
  try {
    const report = await manager.status(stack);
    if (report.file !== undefined) {
      return `${stack} was deployed from the site file ${report.file} and is owned by it: change that file instead of submitting a spec`;
    }
  } catch (error) {
    if (!(error instanceof StackNotFound)) throw error;
  }
  return undefined;
}
