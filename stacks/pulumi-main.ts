/**
 * The program of plain `pulumi` runs through Pulumi.yaml, for pipelines that run `pulumi up --stack
 * site-acme` themselves: the stack name picks the site file (`site-acme` → `sites/acme.yaml`,
 * `staging-pr-42` → `sites/pr-42.yaml`), which is validated like `sitestack validate` does, then
 * mapped to its components exactly as the stack manager's inline programs are. Secrets come from
 * `SITESTACK_SECRET_<NAME>` or the stack's encrypted config `sitestack:secrets.<NAME>`; the
 * lifecycle from `sitestack:lifecycle` (what `sitestack archive`/`restore` set).
 */
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { buildProgramContext } from "./program/build-context.js";
import { defaultPlatformSettings } from "./program/context.js";
import { siteProgram } from "./program/index.js";
import { formatProblem } from "./spec/problem.js";
import { loadSiteFile } from "./spec/load.js";
import { stackNameOf } from "./spec/stack-name.js";

/** The site file a stack name stands for, relative to the project; undefined for other names. */
export function siteFileOfStack(stack: string): string | undefined {
  const match = /^(?:site|staging)-(.+)$/.exec(stack);
  return match ? join("sites", `${match[1]}.yaml`) : undefined;
}

export default async function main(): Promise<Record<string, unknown>> {
  const stack = pulumi.getStack();
  const file = siteFileOfStack(stack);
  if (file === undefined) {
    throw new Error(
      `stack ${stack}: sitestack stacks are named site-<name> or staging-<name> after sites/<name>.yaml`,
    );
  }
  const loaded = await loadSiteFile(file);
  if (!loaded.ok) {
    throw new Error(`${file} is not valid:\n${loaded.problems.map(formatProblem).join("\n")}`);
  }
  if (stackNameOf(loaded.spec) !== stack) {
    throw new Error(`${file} belongs to stack ${stackNameOf(loaded.spec)}, not ${stack}`);
  }
  const lifecycle =
    new pulumi.Config("sitestack").get("lifecycle") === "archived" ? "archived" : "active";
  const context = buildProgramContext({
    stackName: stack,
    platform: defaultPlatformSettings,
    lifecycle,
    secrets: "env-or-config",
    env: process.env,
  });
  return (await siteProgram(loaded.spec, context)()) ?? {};
}
