/**
 * Public DNS names: the names of sites served on the internet, decided by the public suffix list.
 * Shared by the components and the site-file schema (`stacks/site-model`), so both accept the same
 * names. Like every `xProblem()` rule, a message says what is allowed and leaves the value out: the
 * caller adds `, got <value>` in its own format (`ArgumentProblems`, the site-file schema).
 */
import { isIP } from "node:net";
import { parse } from "tldts";
import { dnsNameProblem } from "./names.js";

// One DNS label: letters, digits and inner hyphens, at most 63 characters (RFC 1035, with RFC 1123's
// leading digits). Upper case is checked separately so that it gets its own message.
const label = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/**
 * The shape of every public host name: lowercase dot-separated labels, at least two, the last one
 * starting with a letter (so no IP address), at most {@link maxHostnameLength} in all. What the
 * public suffix list decides on top (`acme.invalid`, `com.pe`, `www.acme.com` as a naked domain)
 * no pattern can say.
 */
export const hostnamePattern =
  /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Longest DNS name, in characters (RFC 1035). */
export const maxHostnameLength = 253;

// The value was checked to be a plain host name already; skip tldts's own URL and IP handling.
const suffixOptions = {
  extractHostname: false,
  validateHostname: false,
  detectIp: false,
  mixedInputs: false,
} as const;

/**
 * The problems every host name shares, checked in an order that gives the most specific message
 * first (a scheme before the slash it contains, an IP before its dots).
 */
function hostnameShapeProblem(value: string, example: string): string | undefined {
  // Nearly every value is a plain lowercase name with a letter in its last label (so not an IP):
  // one regular expression settles those, the checks below only run to explain a bad value.
  if (value.length <= maxHostnameLength && hostnamePattern.test(value)) return undefined;
  if (value === "") return "must not be empty";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return `must be a bare domain like "${example}" without a scheme`;
  }
  if (isIP(value) !== 0 || isIP(value.replace(/^\[|\]$/g, "")) !== 0) {
    return `must be a domain name like "${example}", not an IP address`;
  }
  if (value.includes("/")) {
    return `must be a bare domain like "${example}" without a path`;
  }
  if (/:\d*$/.test(value)) {
    return `must be a bare domain like "${example}" without a port`;
  }
  if (value !== value.toLowerCase()) {
    return `must be lowercase (write ${JSON.stringify(value.toLowerCase())})`;
  }
  if (value.endsWith(".")) {
    return "must not end with a dot";
  }
  if (value.length > maxHostnameLength) {
    return `must be at most ${maxHostnameLength} characters long (it has ${value.length})`;
  }
  if (!value.split(".").every((part) => label.test(part))) {
    return "must be a domain name made of dot-separated labels (lowercase letters, digits and inner hyphens, at most 63 characters each)";
  }
  // Every name accepted above is also a DNS name by the edge components' rule (no underscores here,
  // at least two labels): checked so that no change above can ever let through what they refuse.
  return dnsNameProblem(value);
}

/**
 * A public host name's registrable domain (`acme.com.pe` of `shop.acme.com.pe`), or the problem
 * that keeps it from having one: a bad shape, no ICANN public suffix, or being a suffix itself.
 * `wanted` and `example` say in messages what is asked for.
 */
function registrable(
  value: string,
  wanted: string,
  example: string,
): { problem?: string; domain?: string } {
  const shape = hostnameShapeProblem(value, example);
  if (shape !== undefined) return { problem: shape };
  const parsed = parse(value, suffixOptions);
  if (!parsed.isIcann)
    return { problem: 'must end in a public suffix such as ".com" or ".com.pe"' };
  if (parsed.domain === null) {
    return { problem: `must be ${wanted} like "${example}", not a public suffix` };
  }
  return { domain: parsed.domain };
}

/**
 * Why `value` is not a naked (registrable) domain such as `acme.com` or `acme.com.pe`, or
 * `undefined` when it is one. "Naked" is decided by the public suffix list: the value must be
 * exactly one label above an ICANN public suffix.
 */
export function nakedDomainProblem(value: string): string | undefined {
  const { problem, domain } = registrable(value, "a registrable domain", "acme.com");
  if (problem !== undefined || domain === value) return problem;
  const what = value.startsWith("www.") ? "" : ", not a subdomain";
  return `must be the naked domain ${JSON.stringify(domain)}${what}`;
}

/**
 * Why `value` is not a host name that can be served publicly (`app.example.com`, `acme.com`), or
 * `undefined` when it is one: a valid lowercase DNS name under an ICANN public suffix. The one rule
 * for every public host name of a site file and a component (a DNS record's own name, which may
 * hold `_` or `*`, is {@link dnsNameProblem}'s).
 */
export function hostnameProblem(value: string): string | undefined {
  return registrable(value, "a host under a registrable domain", "app.example.com").problem;
}

/**
 * The registrable domain a public host name belongs to (`blog.acme.com.pe` → `acme.com.pe`): the
 * zone that holds it, since a zone is a naked domain. Undefined for a name that is no public host
 * name.
 */
export function registrableDomainOf(host: string): string | undefined {
  return registrable(host, "a host under a registrable domain", "app.example.com").domain;
}
