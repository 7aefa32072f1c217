import type { Verb } from "../verb.js";
import { lifecycleVerb } from "../lifecycle/define.js";

/** `sitestack cleanup`: delete everything of the stacks, volumes and certificates included. */
export const cleanupVerb: Verb = lifecycleVerb({
  verb: "cleanup",
  summary: "delete everything of the stacks, volumes and certificates included",
  destructive: true,
  expired: true,
  help: `Deletes every resource of each selected stack, retained data included (volumes, certificates),
and removes the stack and its operation record. Nothing is left behind. Asks for
confirmation unless --yes; refuses without a terminal unless --yes.

With --expired, the stacks are every staging in the backend whose ttl has passed since its last
operation (\`sitestack list\` shows them as "expired … ago: due for cleanup"); nothing is ever
cleaned up without this explicit command.

Examples:
  sitestack cleanup staging-pr-42 --yes
  sitestack cleanup --expired --yes`,
});
