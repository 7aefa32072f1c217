import type { SiteKind, SiteSpec } from "./site.js";

/** The stack name prefix of each kind: stagings are kept apart from long-lived sites. */
export const stackPrefixes: Readonly<Record<SiteKind, string>> = {
  BoxSite: "site",
  App: "site",
  HostRoute: "site",
  Staging: "staging",
};

/** The Pulumi stack a site file maps to: `site-acme`, `staging-pr-42`. */
export function stackNameOf(spec: Pick<SiteSpec, "kind" | "metadata">): string {
  return `${stackPrefixes[spec.kind]}-${spec.metadata.name}`;
}
