import type { Verb } from "../verb.js";
import { lifecycleVerb } from "../lifecycle/define.js";

/** `sitestack restore`: bring archived stacks back with exactly their last settings. */
export const restoreVerb: Verb = lifecycleVerb({
  verb: "restore",
  summary: "bring archived stacks back with exactly their last settings",
  help: `Re-applies the last applied spec and config of each selected stack with lifecycle "active", so
the same objects come back on the kept volumes. Status becomes Running.

Examples:
  sitestack restore staging-pr-42`,
});
