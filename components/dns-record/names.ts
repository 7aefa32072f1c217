/**
 * DNS name rules shared by the edge components. Pure functions: no Pulumi, no I/O.
 *
 * Names are handled in their ASCII (Punycode) form, lower case, without a trailing dot — the form
 * Cloudflare returns, so what we send is what comes back and no diff appears on refresh.
 */

const labelPattern = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/**
 * The shape {@link dnsNameProblem} accepts without a wildcard, as one pattern without lookaround
 * (for JSON Schema): at least two labels of 1-63 of a-z, 0-9, "-" and "_", not starting or ending
 * with "-". The length bound (253) is separate.
 */
export const dnsNamePattern =
  /^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

/**
 * Why `name` is not a usable DNS name (what a record, a server block or an upstream may be called),
 * or `undefined` when it is. A leading `*` label is allowed only when `allowWildcard` is set.
 * Underscores are allowed inside labels because TXT owners such as `_dmarc` need them. A public
 * host name of a site is `hostnameProblem`'s (public-names.ts), which also asks this rule.
 */
export function dnsNameProblem(name: string, allowWildcard = false): string | undefined {
  if (name.length === 0) return "must not be empty";
  if (name !== name.trim() || /\s/.test(name)) return "must not contain spaces or line breaks";
  if (/[^\x21-\x7e]/.test(name)) {
    return "must be ASCII: write internationalised names in Punycode (xn--...)";
  }
  if (name !== name.toLowerCase()) return "must be lower case";
  if (name.endsWith(".")) return "must not end with a dot";
  if (name.length > 253) return "must be at most 253 characters long";
  const labels = name.split(".");
  if (labels.length < 2) return 'must have at least two labels, like "acme.com"';
  for (const [index, label] of labels.entries()) {
    if (label === "*" && index === 0 && allowWildcard) continue;
    if (!labelPattern.test(label)) {
      return `has an invalid label "${label}": use 1-63 of a-z, 0-9, "-" and "_", not starting or ending with "-"`;
    }
  }
  return undefined;
}

/** Where a record name sits relative to its zone. */
export type NamePlacement = "apex" | "subdomain" | "outside";

/** Whether `name` is the zone apex, a name under the zone, or outside the zone. */
export function placeInZone(name: string, zoneName: string): NamePlacement {
  if (name === zoneName) return "apex";
  return name.endsWith(`.${zoneName}`) ? "subdomain" : "outside";
}

/**
 * Why `name` is outside the zone `zoneName`, or `undefined` when it is the apex or a name under it.
 * Both names are assumed to be valid DNS names.
 */
export function outsideZoneProblem(name: string, zoneName: string): string | undefined {
  return placeInZone(name, zoneName) === "outside"
    ? `must be the zone apex "${zoneName}" or a name ending in ".${zoneName}"`
    : undefined;
}
