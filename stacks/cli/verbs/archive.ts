import type { Verb } from "../verb.js";
import { lifecycleVerb } from "../lifecycle/define.js";

/** `sitestack archive`: stop the compute of stacks and keep their data. */
export const archiveVerb: Verb = lifecycleVerb({
  verb: "archive",
  summary: "stop the compute of stacks and keep their data",
  help: `Re-applies the last applied spec with lifecycle "archived": workloads are scaled to zero or
removed; volumes, certificates, DNS records and namespaces stay. Status becomes Archived. See
docs/stacks.md for what each kind keeps.

Examples:
  sitestack archive staging-pr-42
  sitestack archive --all --selector kind=qa`,
});
