import { reportFatal } from "../cli/lifecycle/fatal.js";
import type { CliIo } from "../io.js";
import { runCiPlan, type CiPlanOptions } from "./plan.js";

/**
 * `sitestack ci plan` as the CLI runs it: {@link runCiPlan}, with an error that stops the plan
 * before it is written (a bad ref, no engine, an unreadable backend) printed the way every verb
 * prints one (`error: …`, or a JSON error object with `--json`) and mapped to its exit code.
 */
export async function runCiPlanCommand(options: CiPlanOptions, io: CliIo): Promise<number> {
  try {
    return await runCiPlan(options, io);
  } catch (error) {
    return reportFatal(
      error,
      options.json === true ? "json" : "plain",
      (text) => io.stderr(text),
      (text) => io.stdout(text),
    );
  }
}
