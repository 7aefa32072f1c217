/**
 * Names derived from a staging's name, shared by the stack program (which renders the chart with
 * them) and the Staging component (which creates the objects under them).
 */
export interface StagingNames {
  /** The Helm release name: the staging name itself. */
  readonly release: string;
  /** The staging's namespace, `staging-<name>`, kept apart from long-lived sites' namespaces. */
  readonly namespace: string;
  /** The Secret holding the staging's secret values; the chart finds it by this name. */
  readonly secretName: string;
}

/** Longest staging name: Helm's release name limit (the namespace, 8 longer, fits 63 too). */
export const maxStagingNameLength = 53;

const dnsLabel = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * Why `name` cannot name a staging, or `undefined` when it can: what is allowed, without the
 * name. The site file's `metadata.name` of a `kind: Staging` is checked with this same function.
 */
export function stagingNameProblem(name: string): string | undefined {
  if (!dnsLabel.test(name) || name.length > maxStagingNameLength) {
    return `must be a lowercase DNS label of at most ${maxStagingNameLength} characters (Helm's release name limit) like "pr-42"`;
  }
  return undefined;
}

/** The names of the staging `name` (assumed valid, see {@link stagingNameProblem}). */
export function stagingNames(name: string): StagingNames {
  return { release: name, namespace: `staging-${name}`, secretName: `${name}-secret-values` };
}
