/**
 * A separate process running one manager operation on the file test site, so tests can race two
 * processes on one stack or kill one in the middle. Usage (compiled to JS by `build.ts`):
 *   node run-op.js <verb> <projectDir> <specJson> [--wait]
 * Prints one JSON manager event per line and exits with the typed error's exit code.
 */
import { exitCodeOf } from "../../../stacks/errors.js";
import { resolveEngine } from "../../../stacks/engine/resolve.js";
import { StackManager } from "../../../stacks/manager/manager.js";
import type { LifecycleVerb } from "../../../stacks/manager/status.js";
import { fileSiteProgram, type FileSiteSpec } from "./file-site.js";

const [verb, projectDir, specJson, ...flags] = process.argv.slice(2);
const spec = JSON.parse(specJson ?? "{}") as FileSiteSpec;
const manager = new StackManager<FileSiteSpec>({
  projectDir: projectDir ?? ".",
  engine: () => resolveEngine({ pulumiHome: process.env.PULUMI_HOME ?? "" }),
  program: fileSiteProgram,
});
try {
  const outcome = await manager.run(
    verb as LifecycleVerb,
    { stack: process.env.STACK_NAME ?? "site-race", kind: "FileSite", labels: {}, spec },
    {
      wait: flags.includes("--wait"),
      onEvent: (event) => process.stdout.write(`${JSON.stringify(event)}\n`),
    },
  );
  process.stdout.write(`${JSON.stringify({ type: "outcome", outcome })}\n`);
} catch (error) {
  process.stdout.write(
    `${JSON.stringify({ type: "error", name: (error as Error).name, message: (error as Error).message })}\n`,
  );
  process.exitCode = exitCodeOf(error);
}
