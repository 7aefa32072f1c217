import type { Verb } from "../verb.js";
import { lifecycleVerb } from "../lifecycle/define.js";

/** `sitestack cleanup`: delete everything of the stacks, volumes and certificates included. */
export const cleanupVerb: Verb = lifecycleVerb({
  verb: "cleanup",
  summary: "delete everything of the stacks, volumes and certificates included",
  destructive: true,
  help: `Deletes every resource of each selected stack, retained data included (volumes, certificates),
and removes the stack, its config and its registry entry. Nothing is left behind. Asks for
confirmation unless --yes; refuses without a terminal unless --yes.

Examples:
  sitestack cleanup staging-pr-42 --yes`,
});
