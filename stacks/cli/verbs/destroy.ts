import type { Verb } from "../verb.js";
import { lifecycleVerb } from "../lifecycle/define.js";

/** `sitestack destroy`: delete the stacks' resources (retained data stays) and remove the stacks. */
export const destroyVerb: Verb = lifecycleVerb({
  verb: "destroy",
  summary: "delete the stacks' resources (retained data stays) and remove the stacks",
  destructive: true,
  help: `Deletes every resource of each selected stack except resources a program marks as retained data
(volumes, certificates), then removes the stack. Use cleanup to delete the data too. Asks for
confirmation unless --yes; refuses without a terminal unless --yes.

Examples:
  sitestack destroy site-acme --yes`,
});
