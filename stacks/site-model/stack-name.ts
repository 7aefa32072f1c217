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

const stackNamePattern = /^(?<prefix>site|staging)-(?<site>.+)$/;

/** The site name of a sitestack stack (`site-acme` → `acme`), or undefined for any other name. */
export function siteNameOfStack(stack: string): string | undefined {
  return stackNamePattern.exec(stack)?.groups?.site;
}

/**
 * The stacks a command-line operand may mean, most specific first: the operand as a stack name,
 * then as a site name of each prefix (`pr-42` → `site-pr-42`, `staging-pr-42`).
 */
export function stackNameCandidates(operand: string): string[] {
  const prefixes = [...new Set(Object.values(stackPrefixes))];
  return [...new Set([operand, ...prefixes.map((prefix) => `${prefix}-${operand}`)])];
}
