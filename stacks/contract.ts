/**
 * The stack contract: what a sitestack stack is called and how that name leads back to its site
 * file, where a stack keeps sitestack's own config (secret values), which environment variables
 * sitestack reads, and how the holder of a stack's lock is written. Every part of the project that
 * names a stack, reads a key or writes a holder asks this module, so the CLI, `Pulumi.yaml`'s
 * program, the library and the manager cannot disagree. It imports nothing: the typed errors, the
 * site model and the manager all sit above it.
 */

/**
 * The stack name prefix of each site kind: stagings are kept apart from long-lived sites. The site
 * model checks at compile time that every kind it knows has one.
 */
export const stackPrefixes = {
  BoxSite: "site",
  App: "site",
  HostRoute: "site",
  Staging: "staging",
} as const;

/** A kind of site file that has a stack. */
export type StackKind = keyof typeof stackPrefixes;

/** What names a stack: the site's kind and its `metadata.name`. */
export interface StackSubject {
  readonly kind: StackKind;
  readonly metadata: { readonly name: string };
}

/** The Pulumi stack a site file maps to: `site-acme`, `staging-pr-42`. */
export function stackNameOf(site: StackSubject): string {
  return `${stackPrefixes[site.kind]}-${site.metadata.name}`;
}

/** Every prefix once, in the order of {@link stackPrefixes}: `site`, `staging`. */
const prefixes: readonly string[] = [...new Set(Object.values(stackPrefixes))];

const stackNamePattern = new RegExp(`^(?:${prefixes.join("|")})-(?<site>.+)$`);

/** The site name of a sitestack stack (`site-acme` → `acme`), or undefined for any other name. */
export function siteNameOfStack(stack: string): string | undefined {
  return stackNamePattern.exec(stack)?.groups?.site;
}

/**
 * The site file a stack name stands for (`site-acme` → `sites/acme.yaml`), or undefined for a name
 * that is not a sitestack stack name.
 */
export function siteFileOfStack(stack: string, sitesDir = "sites"): string | undefined {
  const site = siteNameOfStack(stack);
  return site === undefined ? undefined : `${sitesDir}/${site}.yaml`;
}

/**
 * The stacks a command-line operand may mean, most specific first: the operand as a stack name,
 * then as a site name of each prefix (`pr-42` → `site-pr-42`, `staging-pr-42`).
 */
export function stackNameCandidates(operand: string): string[] {
  return [...new Set([operand, ...prefixes.map((prefix) => `${prefix}-${operand}`)])];
}

/** What {@link resolveStackOperand} may ask about the world. */
export interface StackLookup {
  /** Whether the backend holds a deployed stack of this name. */
  deployed(stack: string): Promise<boolean>;
  /**
   * The stack of the valid site file `<sites>/<site>.yaml`, or undefined when there is no such
   * file or it does not validate.
   */
  stackOfSiteFile(site: string): Promise<string | undefined>;
}

/**
 * The stack a command-line operand names (`sitestack status pr-42`, `secret set site-acme …`):
 *
 * 1. a deployed stack of exactly that name;
 * 2. the stack of the site file of that name: the file says its kind, so `pr-42` of a Staging is
 *    `staging-pr-42` even when a stack `site-pr-42` is left in the backend;
 * 3. a deployed stack named after the operand as a site name (`acme` → `site-acme`), for stacks
 *    whose file is gone;
 * 4. a stack name whose site file maps to it but which is not deployed yet (`secret set` before
 *    the first `up`).
 *
 * Undefined when none applies.
 */
export async function resolveStackOperand(
  operand: string,
  lookup: StackLookup,
): Promise<string | undefined> {
  if (await lookup.deployed(operand)) return operand;
  const ofFile = await lookup.stackOfSiteFile(operand);
  if (ofFile !== undefined) return ofFile;
  for (const candidate of stackNameCandidates(operand).slice(1)) {
    if (await lookup.deployed(candidate)) return candidate;
  }
  const site = siteNameOfStack(operand);
  if (site !== undefined && (await lookup.stackOfSiteFile(site)) === operand) return operand;
  return undefined;
}

/**
 * The label that marks a PR's review staging (`sitestack ci review`), valued with the PR number:
 * such a staging has no site file on purpose, so the orphan report leaves it out, and `ci review
 * --close` cleans up only stacks carrying it.
 */
export const reviewPullRequestLabel = "sitestack/review-pr";

/** The config namespace of sitestack's keys in a stack's config (`sitestack:…`). */
export const configNamespace = "sitestack";

/**
 * The key of a secret inside the {@link configNamespace}, as `new pulumi.Config("sitestack")`
 * reads it: `secrets.ACME_OIDC`.
 */
export function secretConfigName(name: string): string {
  return `secrets.${name}`;
}

/** The full stack configuration key a secret is stored under: `sitestack:secrets.ACME_OIDC`. */
export function secretConfigKey(name: string): string {
  return `${configNamespace}:${secretConfigName(name)}`;
}

/** The environment variables sitestack reads, by what they are for. */
export const envVars = {
  /** The prefix of the variables secret values are read from (`SITESTACK_SECRET_ACME_OIDC`). */
  secretPrefix: "SITESTACK_SECRET_",
  /** `cluster` sends Kubernetes objects to a cluster instead of rendering them as files. */
  kubernetes: "SITESTACK_KUBERNETES",
  /** Where rendered Kubernetes manifests go. */
  renderDir: "SITESTACK_RENDER_DIR",
  /** The state backend's URL (before `PULUMI_BACKEND_URL`). */
  backendUrl: "SITESTACK_BACKEND_URL",
  /** The secrets provider of new stacks. */
  secretsProvider: "SITESTACK_SECRETS_PROVIDER",
  /** The platform file to read instead of `sitestack.yaml` in the project folder. */
  platformFile: "SITESTACK_PLATFORM_FILE",
} as const;

/** The environment variable a secret is read from in CI, e.g. `SITESTACK_SECRET_ACME_OIDC`. */
export function secretEnvVarName(name: string): string {
  return `${envVars.secretPrefix}${name}`;
}

/** Who runs (or ran) an operation on a stack: enough to tell a live holder from a dead one. */
export interface Holder {
  readonly user: string;
  readonly host: string;
  readonly pid: number;
  /** ISO time the holder took the stack. */
  readonly since: string;
}

/** `user@host (pid N) since T`, the form every lock message uses. */
export function describeHolder(holder: Holder): string {
  return `${holder.user}@${holder.host} (pid ${holder.pid}) since ${holder.since}`;
}
