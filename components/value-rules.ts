/**
 * Rules for single plain values that several components check and that the site-file schema
 * (`stacks/site-model`) checks with the very same function, so `validate` never accepts what a component
 * refuses at `up` (one rule per fact).
 *
 * Each `xProblem(value)` returns `undefined` for a good value, or what is allowed ("must be …")
 * without the value: the caller names the field and shows the value in its own format.
 */
import { isIP } from "node:net";
import { dnsNameProblem } from "./dns-record/names.js";

/** Why `port` is not a TCP port (a whole number from 1 to 65535), or `undefined`. */
export function portProblem(port: number): string | undefined {
  return Number.isInteger(port) && port >= 1 && port <= 65535
    ? undefined
    : "must be a whole number from 1 to 65535";
}

/** A text with something in it: at least one character that is not white space. */
export const nonBlankPattern = /\S/;

/** Why `value` is empty or only white space, or `undefined` when it has something in it. */
export function nonBlankProblem(value: string): string | undefined {
  return nonBlankPattern.test(value) ? undefined : "must not be empty";
}

/**
 * The e-mail pattern zod's `z.email()` uses: letters, digits and `_'+-` in dot-separated parts, a
 * host of DNS labels and a top-level domain of at least two letters.
 */
export const emailPattern =
  /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/** Why `value` is not an e-mail address like `tech@acme.com`, or `undefined`. */
export function emailProblem(value: string, example = "tech@acme.com"): string | undefined {
  return emailPattern.test(value) ? undefined : `must be an e-mail address like "${example}"`;
}

/** A lowercase DNS label (RFC 1123): Kubernetes namespace and Service names, site names. */
export const dnsLabelPattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Why `value` is not a lowercase DNS label (RFC 1123) like `example`, or `undefined`. */
export function dnsLabelProblem(value: string, example = "acme"): string | undefined {
  return dnsLabelPattern.test(value)
    ? undefined
    : `must be a lowercase DNS label (letters a-z, digits and inner hyphens, at most 63 characters) like "${example}"`;
}

/**
 * Why `value` is not an IPv4 or IPv6 address that can be written into configuration, or
 * `undefined`. An IPv6 zone id (`fe80::1%eth0`) is refused: it names an interface of one machine,
 * and neither nginx's `proxy_pass` nor a DNS record can carry it.
 */
export function ipAddressProblem(value: string, example = "10.0.3.15"): string | undefined {
  if (isIP(value) === 0) return `must be an IPv4 or IPv6 address like "${example}"`;
  if (value.includes("%")) {
    return 'must be an IP address without a zone id ("%eth0"): a link-local address only means something on one machine, and nginx and DNS cannot use it; give a global or private address';
  }
  return undefined;
}

/** The shape of an http(s) URL: scheme in lower case, a host, nothing blank. */
export const httpUrlPattern = /^https?:\/\/[^\s/?#]+([/?#]\S*)?$/;

/**
 * Why `value` is not an http(s) URL of a named or numbered host, or `undefined`. The scheme must be
 * written in lower case and nothing in the URL may be blank; a user name or password is refused
 * because the value is plain (not a secret) wherever it is used.
 */
export function httpUrlProblem(value: string): string | undefined {
  const rule = 'must be an http:// or https:// URL like "https://central.example.net/themes"';
  if (!httpUrlPattern.test(value)) return rule;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return rule;
  }
  if (url.username !== "" || url.password !== "") {
    return `${rule}, without a user name or password (the URL is not a secret)`;
  }
  const host = url.hostname;
  if (isIP(host.replace(/^\[|\]$/g, "")) === 0 && dnsNameProblem(host) !== undefined) {
    return `${rule} (its host must be a DNS name like "central.example.net" or an IP address)`;
  }
  return undefined;
}
