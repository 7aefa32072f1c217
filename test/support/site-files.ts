/**
 * The repository's site files (`sites/*.yaml`) as the program tests read them, and a program
 * context that records which secrets a program asks for.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import { defaultPlatformSettings, type ProgramContext } from "../../stacks/program/context.js";
import { loadSiteFile } from "../../stacks/spec/load.js";
import type { SiteSpec } from "../../stacks/spec/site.js";

const sitesDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "sites");

/** `sites/<file>` parsed; throws with the problems unless it is a valid site of `kind`. */
export async function repositorySite<K extends SiteSpec["kind"]>(
  file: string,
  kind: K,
): Promise<Extract<SiteSpec, { kind: K }>> {
  const result = await loadSiteFile(join(sitesDir, file));
  if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.problems)}`);
  if (result.spec.kind !== kind) throw new Error(`${file} is a ${result.spec.kind}, not a ${kind}`);
  return result.spec as Extract<SiteSpec, { kind: K }>;
}

/**
 * A program context for `stackName` with the default platform, whose secrets resolve to
 * `value-of-<NAME>` and whose `asked` lists the secret names the program asked for, in order.
 */
export function recordingContext(
  stackName: string,
  overrides: Partial<ProgramContext> = {},
): ProgramContext & { asked: string[] } {
  const asked: string[] = [];
  return {
    stackName,
    secret: (name) => {
      asked.push(name);
      return pulumi.secret(`value-of-${name}`);
    },
    platform: defaultPlatformSettings,
    ...overrides,
    asked,
  };
}
