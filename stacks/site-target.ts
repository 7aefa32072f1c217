import type { StackTarget } from "./manager/target.js";
import type { SiteSpec } from "./site-model/index.js";
import { stackNameOf } from "./contract.js";

/**
 * The stack target of a parsed site file: its stack name (`site-acme`), kind and labels, and the
 * file it came from when there is one (for messages and the stack's metadata). A module of its own
 * so the CLI can build targets without loading the engine and the programs.
 */
export function siteTarget(spec: SiteSpec, file?: string): StackTarget<SiteSpec> {
  return {
    stack: stackNameOf(spec),
    kind: spec.kind,
    labels: spec.metadata.labels,
    ...(file === undefined ? {} : { file }),
    spec,
  };
}
