import type { Verb } from "../verb.js";
import { lifecycleVerb } from "../lifecycle/define.js";

/** `sitestack refresh`: read the real resources back into the stacks' state. */
export const refreshVerb: Verb = lifecycleVerb({
  verb: "refresh",
  summary: "read the real resources back into the stacks' state",
  help: `Compares the state of each selected stack with the real resources and records what changed
outside sitestack (drift).

Examples:
  sitestack refresh site-acme
  sitestack refresh --all --selector tier=gold`,
});
