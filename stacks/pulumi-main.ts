/**
 * The program of plain `pulumi` runs through Pulumi.yaml, for pipelines that run `pulumi up --stack
 * site-acme` themselves: the stack name picks the site file (`site-acme` → `sites/acme.yaml`,
 * `staging-pr-42` → `sites/pr-42.yaml`), which is validated like `sitestack validate` does, then
 * mapped to its components exactly as the stack manager's inline programs are. Secrets come from
 * `SITESTACK_SECRET_<NAME>` or the stack's encrypted config `sitestack:secrets.<NAME>` (the shared
 * `config/` folder); the lifecycle from the stack's own metadata in the backend, so an archived site
 * stays archived here too, and the run records the same metadata `sitestack up` does.
 */
import * as pulumi from "@pulumi/pulumi";
import { buildProgramContext } from "./platform/program-context.js";
import { sitestackProgram } from "./manager/stack-program.js";
import { loadPlatformSettings } from "./platform/file.js";
import { siteProgram } from "./program/index.js";
import { formatProblem, loadSiteFile } from "./site-model/index.js";
import { reviveSiteSpec } from "./site-target.js";
import { siteFileOfStack, stackNameOf } from "./contract.js";

export default async function main(): Promise<Record<string, unknown> | void> {
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
  return sitestackProgram({
    request: "apply",
    subject: {
      kind: loaded.spec.kind,
      labels: loaded.spec.metadata.labels ?? {},
      file,
      spec: loaded.spec,
    },
    revive: (raw) => reviveSiteSpec(raw, stack),
    factory: siteProgram,
    context: (lifecycle) =>
      buildProgramContext({
        stackName: stack,
        platform: loadPlatformSettings(process.cwd(), process.env),
        lifecycle,
        secrets: "env-or-config",
        env: process.env,
      }),
  })();
}
