import { isIP } from "node:net";
import { parse } from "tldts";

// One DNS label: letters, digits and inner hyphens, at most 63 characters (RFC 1035, with RFC 1123's
// leading digits). Upper case is checked separately so that it gets its own message.
const label = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const plainHostname = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

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
  if (value.length <= 253 && plainHostname.test(value)) return undefined;
  if (value === "") return "must not be empty";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return `must be a bare domain like "${example}" without a scheme, got ${JSON.stringify(value)}`;
  }
  if (isIP(value) !== 0 || isIP(value.replace(/^\[|\]$/g, "")) !== 0) {
    return `must be a domain name like "${example}", not an IP address, got ${JSON.stringify(value)}`;
  }
  if (value.includes("/")) {
    return `must be a bare domain like "${example}" without a path, got ${JSON.stringify(value)}`;
  }
  if (/:\d*$/.test(value)) {
    return `must be a bare domain like "${example}" without a port, got ${JSON.stringify(value)}`;
  }
  if (value !== value.toLowerCase()) {
    return `must be lowercase, got ${JSON.stringify(value)} (write ${JSON.stringify(value.toLowerCase())})`;
  }
  if (value.endsWith(".")) {
    return `must not end with a dot, got ${JSON.stringify(value)}`;
  }
  if (value.length > 253) {
    return `must be at most 253 characters long in all (the DNS limit for a whole name), got ${value.length} characters`;
  }
  if (!value.split(".").every((part) => label.test(part))) {
    return `must be a domain name made of dot-separated labels (lowercase letters, digits and inner hyphens, at most 63 characters each), got ${JSON.stringify(value)}`;
  }
  return undefined;
}

/**
 * Why `value` is not a naked (registrable) domain such as `acme.com` or `acme.com.pe`, or
 * `undefined` when it is one. "Naked" is decided by the public suffix list: the value must be
 * exactly one label above an ICANN public suffix.
 */
export function nakedDomainProblem(value: string): string | undefined {
  const shape = hostnameShapeProblem(value, "acme.com");
  if (shape !== undefined) return shape;
  const parsed = parse(value, suffixOptions);
  if (!parsed.isIcann) {
    return `must end in a public suffix such as ".com" or ".com.pe", got ${JSON.stringify(value)}`;
  }
  if (parsed.domain === null) {
    return `must be a registrable domain like "acme.com", got the public suffix ${JSON.stringify(value)}`;
  }
  if (parsed.domain !== value) {
    const hint = value.startsWith("www.") ? "" : " (a subdomain)";
    return `must be the naked domain ${JSON.stringify(parsed.domain)}, not ${JSON.stringify(value)}${hint}`;
  }
  return undefined;
}

/**
 * Why `value` is not a host name that can be served publicly (`app.example.com`, `acme.com`), or
 * `undefined` when it is one: a valid lowercase DNS name under an ICANN public suffix.
 */
export function hostnameProblem(value: string): string | undefined {
  const shape = hostnameShapeProblem(value, "app.example.com");
  if (shape !== undefined) return shape;
  const parsed = parse(value, suffixOptions);
  if (!parsed.isIcann) {
    return `must end in a public suffix such as ".com" or ".com.pe", got ${JSON.stringify(value)}`;
  }
  if (parsed.domain === null) {
    return `must be a host under a registrable domain like "app.example.com", got the public suffix ${JSON.stringify(value)}`;
  }
  return undefined;
}

/** Whether `host` is `zone` itself or a name under it (`shop.acme.com` is under `acme.com`). */
export function isInZone(host: string, zone: string): boolean {
  return host === zone || host.endsWith(`.${zone}`);
}
