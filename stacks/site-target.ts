import type { StackStatusReport } from "./manager/status-view.js";
import type { StackTarget } from "./manager/target.js";
import { ValidationFailed } from "./errors.js";
import { parseSiteText, type SiteSpec } from "./site-model/index.js";
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

/**
 * The target of a stack known only from the backend: its last applied spec stands in for the site
 * file (verbs by stack name, `ci apply`'s approved deletions, `ci review --close`, the commander's
 * jobs by stack). Never applied as it is: archive and restore validate the backend's copy again
 * (`reviveSiteSpec`), refresh and cleanup do not run it.
 */
export function recordTarget(record: StackStatusReport): StackTarget<SiteSpec> {
  return {
    stack: record.stack,
    kind: record.kind,
    labels: record.labels,
    ...(record.file === undefined ? {} : { file: record.file }),
    spec: record.spec as SiteSpec,
  };
}

/**
 * The site spec of a stack target read back: a last applied spec from the backend, validated again like a site file: `archive` and
 * `restore` apply it, and the backend is shared with other machines and other sitestack versions.
 * @throws ValidationFailed naming the stack when the stored spec no longer validates.
 */
export function reviveSiteSpec(raw: unknown, stack: string): SiteSpec {
  const parsed = parseSiteText(JSON.stringify(raw), `${stack} (last applied spec)`, {
    matchFileName: false,
  });
  if (!parsed.ok) throw new ValidationFailed(parsed.problems);
  return parsed.spec;
}
