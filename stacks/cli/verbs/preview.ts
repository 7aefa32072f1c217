import type { Verb } from "../verb.js";
import { lifecycleVerb } from "../lifecycle/define.js";

/** `sitestack preview`: show what up would change, per resource type, without changing anything. */
export const previewVerb: Verb = lifecycleVerb({
  verb: "preview",
  summary: "show what up would change, per resource type, without changing anything",
  diff: true,
  help: `Runs the program of each selected site and reports the creates, updates, replaces and deletes
per resource type. --diff adds the engine's full property diff (secret values appear as [secret]).
Preview does not take the engine's lock, so it can run while another operation is in flight.

Examples:
  sitestack preview sites/acme.yaml
  sitestack preview --all --selector team=shop --json`,
});
