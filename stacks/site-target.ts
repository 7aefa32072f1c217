import type { StackTarget } from "./manager/target.js";
import type { StackStatusReport } from "./manager/status-view.js";
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

/**
 * The stack target of a stack in the backend, by name rather than by file: its last applied spec
 * stands in for the file. Verbs by name never apply it as it is: archive and restore validate the
 * backend's copy again (`reviveSiteSpec`), refresh and cleanup do not run it.
 */
export function reportTarget(report: StackStatusReport): StackTarget<SiteSpec> {
  return {
    stack: report.stack,
    kind: report.kind,
    labels: report.labels,
    ...(report.file === undefined ? {} : { file: report.file }),
    spec: report.spec as SiteSpec,
  };
}
