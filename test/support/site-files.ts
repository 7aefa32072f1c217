/**
 * The repository's site files (`sites/*.yaml`) as the program tests read them, and a program
 * context that records which secrets a program asks for.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import { type ProgramContext } from "../../stacks/platform/program-context.js";
import { defaultPlatformSettings } from "../../stacks/platform/settings.js";
import { loadSiteFile } from "../../stacks/site-model/load.js";
import type { SiteSpec } from "../../stacks/site-model/site.js";

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

/**
 * Writes the example box site `sites/acme.yaml` into `<projectDir>/sites/acme.yaml` without its
 * Cloudflare record, and returns the file's path: engine runs here have no Cloudflare provider (the
 * Go proxy refuses it), and render mode and the test API server need no DNS.
 */
export function writeAcmeWithoutCloudflare(projectDir: string): string {
  const file = join(projectDir, "sites", "acme.yaml");
  mkdirSync(dirname(file), { recursive: true });
  const text = readFileSync(join(sitesDir, "acme.yaml"), "utf8");
  const withoutDns = text.replace(
    /\n(?: {2}#.*\n)* {2}dns:\n {4}cloudflare:.*\n(?: {6}.*\n)*/,
    "\n",
  );
  if (withoutDns === text) throw new Error("sites/acme.yaml has no dns.cloudflare block to remove");
  writeFileSync(file, withoutDns);
  return file;
}
