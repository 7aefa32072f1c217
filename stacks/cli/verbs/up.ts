import type { Verb } from "../verb.js";
import { secretConfigKey, secretEnvVarName } from "../../contract.js";
import { lifecycleVerb } from "../lifecycle/define.js";

/** `sitestack up`: create or update the stacks of site files. */
export const upVerb: Verb = lifecycleVerb({
  verb: "up",
  summary: "create or update the stacks of site files",
  diff: true,
  help: `Applies each selected site file to its stack (site-<name>, staging-<name>), creating the stack on
first use. Secret references are resolved from the environment variable ${secretEnvVarName("<NAME>")},
else from the stack's encrypted config key ${secretConfigKey("<NAME>")}. An archived stack stays archived
(use restore). If an earlier run was killed, pending operations are recovered first and the result
says what was done.

Examples:
  sitestack up sites/acme.yaml
  sitestack up --all --concurrency 4 --fail-fast`,
});
