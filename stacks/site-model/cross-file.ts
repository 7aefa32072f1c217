import type { PathSegment } from "./problem.js";
import type { SiteSpec } from "./site.js";

/** A valid site file, as the cross-file rules see it. */
export interface CheckedSite {
  readonly file: string;
  readonly spec: SiteSpec;
}

/** A cross-file problem before it is placed in its file. */
export interface CrossFileProblem {
  readonly file: string;
  readonly path: readonly PathSegment[];
  readonly message: string;
}

/** A value that must be unique across files, where it sits, and how to name it in a message. */
interface Claim {
  /** What is claimed (`code`, `host`…): values only conflict with claims of the same kind. */
  readonly kind: string;
  readonly value: string;
  readonly path: readonly PathSegment[];
  readonly describe: (value: string, firstFile: string) => string;
}

/** Each rule lists the claims one site makes; two files making the same claim conflict. */
const rules: ReadonlyArray<(spec: SiteSpec) => Claim[]> = [
  // One name, one file, one stack: a duplicate would make two files fight over one stack.
  (spec) => [
    {
      kind: "name",
      value: spec.metadata.name,
      path: ["metadata", "name"],
      describe: (v, first) => `${JSON.stringify(v)} is already the name of ${first}`,
    },
  ],
  (spec) =>
    spec.kind === "BoxSite"
      ? [
          {
            kind: "code",
            value: spec.spec.code,
            path: ["spec", "code"],
            describe: (v, first) => `${JSON.stringify(v)} is already the code of ${first}`,
          },
          {
            kind: "siteId",
            value: String(spec.spec.siteId),
            path: ["spec", "siteId"],
            describe: (v, first) => `${v} is already the siteId of ${first}`,
          },
        ]
      : [],
  // A host name answered by two sites (two HostRoutes, two box sites, a box site and an app…)
  // would make the DNS record and the certificate flip between them.
  (spec) => publicHostsOf(spec),
];

function publicHostsOf(spec: SiteSpec): Claim[] {
  const claim = (value: string, path: PathSegment[]): Claim => ({
    kind: "host",
    value,
    path,
    describe: (v, first) => `${JSON.stringify(v)} is already served by ${first}`,
  });
  switch (spec.kind) {
    case "BoxSite":
      return [claim(spec.spec.domain, ["spec", "domain"])];
    case "HostRoute":
      return [claim(spec.spec.domain, ["spec", "domain"])];
    case "App":
      return spec.spec.ingress === undefined
        ? []
        : [claim(spec.spec.ingress.host, ["spec", "ingress", "host"])];
    case "Staging":
      return [];
    default: {
      const unreachable: never = spec;
      return unreachable;
    }
  }
}

/** What the rules across files know besides the files. */
export interface CrossFileContext {
  /**
   * The clusters of the platform file, when it was read: a site's `spec.cluster` must be one.
   * @default - not checked
   */
  readonly clusters?: readonly string[];
}

/** The cluster a site chose, when its kind runs on a cluster and it chose one. */
function clusterOf(spec: SiteSpec): string | undefined {
  switch (spec.kind) {
    case "BoxSite":
    case "App":
    case "Staging":
      return spec.spec.cluster;
    case "HostRoute":
      return undefined;
    default: {
      const unreachable: never = spec;
      return unreachable;
    }
  }
}

/**
 * Rules that span files: duplicate names, box codes, site ids and served host names. The first file
 * (in the given order) keeps its claim; each later file with the same claim gets a problem naming
 * the first. With the platform's clusters, a site's `cluster` must be one of them.
 */
export function crossFileProblems(
  sites: readonly CheckedSite[],
  context: CrossFileContext = {},
): CrossFileProblem[] {
  const problems: CrossFileProblem[] = [];
  const clusters = context.clusters;
  if (clusters !== undefined) {
    for (const site of sites) {
      const cluster = clusterOf(site.spec);
      if (cluster !== undefined && !clusters.includes(cluster)) {
        problems.push({
          file: site.file,
          path: ["spec", "cluster"],
          message: `must be one of the platform file's clusters (${clusters.length === 0 ? "it names none" : clusters.join(", ")}), got ${JSON.stringify(cluster)}`,
        });
      }
    }
  }
  const owners = new Map<string, string>();
  for (const rule of rules) {
    for (const site of sites) {
      for (const claim of rule(site.spec)) {
        const key = `${claim.kind}\u0000${claim.value}`;
        const first = owners.get(key);
        if (first === undefined) owners.set(key, site.file);
        else
          problems.push({
            file: site.file,
            path: claim.path,
            message: claim.describe(claim.value, first),
          });
      }
    }
  }
  return problems;
}
