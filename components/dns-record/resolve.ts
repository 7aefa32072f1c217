import { isIPv4, isIPv6 } from "node:net";
import { ArgumentProblems } from "../argument-problems.js";
import { dnsNameProblem, outsideZoneProblem, placeInZone, type NamePlacement } from "./names.js";

/** The record types sitestack manages. Others (MX, SRV, CAA...) are out of scope for web sites. */
export type DnsRecordType = "A" | "AAAA" | "CNAME" | "TXT";

/** A record type that points a name at an address. */
export type AddressRecordType = "A" | "AAAA" | "CNAME";

/**
 * The record type that points a name at `address`: A for an IPv4 address, AAAA for an IPv6
 * address, CNAME for anything else (a load balancer's host name). The one rule for the records
 * sitestack creates and the ones it asks an admin to create.
 */
export function recordTypeFor(address: string): AddressRecordType {
  if (isIPv4(address)) return "A";
  if (isIPv6(address)) return "AAAA";
  return "CNAME";
}

/** The record types Cloudflare can proxy; only these are proxied by default. */
const webRecordTypes: ReadonlySet<DnsRecordType> = new Set(["A", "AAAA", "CNAME"]);

/** Cloudflare's "automatic" TTL value. */
export const automaticTtl = 1;

/** Cloudflare's comment limit on the Free plan (paid plans allow more; the smallest one wins). */
const maxCommentLength = 100;

/** Cloudflare's limit for one TXT record's content. */
const maxTxtLength = 2048;

/** The validated, defaulted settings of one DNS record. `content` is checked only when plain. */
export interface ResolvedDnsRecord {
  readonly fqdn: string;
  readonly placement: Exclude<NamePlacement, "outside">;
  /**
   * The record type; undefined when it was not given and the content is not plain yet (an
   * address the engine learns during `up`): then it is {@link recordTypeFor} the content.
   */
  readonly type: DnsRecordType | undefined;
  readonly proxied: boolean;
  readonly ttl: number;
  readonly comment: string;
}

/** The plain (validated up front) part of a record description. */
export interface DnsRecordSettings {
  readonly zoneName: string;
  readonly name: string;
  /** @default - {@link recordTypeFor} the content */
  readonly type?: DnsRecordType;
  /** Checked only when it is a plain string; an Output (e.g. a VPS address) is passed through. */
  readonly content: unknown;
  readonly proxied?: boolean;
  readonly ttlSeconds?: number;
  readonly ownerStack: string;
}

/** The comment written on every record, naming the stack that owns it. */
export function ownerComment(ownerStack: string): string {
  return `managed by sitestack stack ${ownerStack}; manual edits are overwritten`;
}

/** The longest owner stack name whose {@link ownerComment} fits Cloudflare's comment limit. */
export const maxOwnerStackLength = maxCommentLength - ownerComment("").length;

/**
 * Why `ownerStack` cannot be named in a record's comment, or `undefined`: it must be a plain name
 * short enough for the comment to fit Cloudflare's limit. The site-file schema applies the same
 * rule to the stack names of sites that create records.
 */
export function ownerStackProblem(ownerStack: string): string | undefined {
  if (!/^[A-Za-z0-9._-]+$/.test(ownerStack)) return 'must use letters, digits, ".", "_" and "-"';
  if (ownerStack.length > maxOwnerStackLength) {
    return `must be at most ${maxOwnerStackLength} characters long: it is written in the comment of each DNS record, which Cloudflare limits to ${maxCommentLength} characters`;
  }
  return undefined;
}

/**
 * Validates a record description and fills in the defaults: proxied for web records (A, AAAA,
 * CNAME), TTL automatic. Collects every problem and throws one error that names each field.
 */
export function resolveDnsRecord(label: string, settings: DnsRecordSettings): ResolvedDnsRecord {
  const problems = new ArgumentProblems();
  const zoneProblem = dnsNameProblem(settings.zoneName);
  problems.rule(zoneProblem, "zoneName", settings.zoneName);

  const nameProblem = dnsNameProblem(settings.name, true);
  const placement = placeInZone(settings.name, settings.zoneName);
  if (nameProblem) {
    problems.rule(nameProblem, "name", settings.name);
  } else if (!zoneProblem && placement === "outside") {
    problems.rule(outsideZoneProblem(settings.name, settings.zoneName), "name", settings.name);
  }

  const type =
    settings.type ??
    (typeof settings.content === "string" ? recordTypeFor(settings.content) : undefined);
  if (type !== undefined && !["A", "AAAA", "CNAME", "TXT"].includes(type)) {
    problems.push(`type must be one of A, AAAA, CNAME, TXT, got "${String(type)}"`);
  }
  const contentProblem =
    typeof settings.content === "string" && type !== undefined
      ? checkContent(type, settings.content)
      : undefined;
  if (contentProblem) problems.push(contentProblem);
  if (type === "CNAME" && settings.content === settings.name) {
    problems.push(`content of a CNAME must not point at its own name "${settings.name}"`);
  }

  // A type still to be derived from an address is A, AAAA or CNAME: a web record.
  const isWeb = type === undefined || webRecordTypes.has(type);
  const proxied = settings.proxied ?? isWeb;
  if (proxied && !isWeb) {
    problems.push(`proxied is only possible for A, AAAA and CNAME records, not ${type}`);
  }
  const ttl = settings.ttlSeconds ?? automaticTtl;
  if (proxied && ttl !== automaticTtl) {
    problems.push(
      `ttlSeconds must be left unset (automatic) on a proxied record, got ${ttl}: Cloudflare answers proxied names itself`,
    );
  } else if (ttl !== automaticTtl && !(Number.isInteger(ttl) && ttl >= 60 && ttl <= 86400)) {
    problems.push(
      `ttlSeconds must be 1 (automatic) or a whole number from 60 to 86400, got ${ttl}`,
    );
  }

  const ownerProblem = ownerStackProblem(settings.ownerStack);
  problems.rule(ownerProblem, "ownerStack", settings.ownerStack);
  const comment = ownerComment(settings.ownerStack);

  problems.throwIfAny(`DnsRecord ${JSON.stringify(label)}`);
  return {
    fqdn: settings.name,
    placement: placement === "apex" ? "apex" : "subdomain",
    type,
    proxied,
    ttl,
    comment,
  };
}

function checkContent(type: DnsRecordType, content: string): string | undefined {
  switch (type) {
    case "A":
      return isIPv4(content)
        ? undefined
        : `content of an A record must be an IPv4 address, got "${content}"`;
    case "AAAA":
      return isIPv6(content)
        ? undefined
        : `content of an AAAA record must be an IPv6 address, got "${content}"`;
    case "CNAME": {
      const problem = dnsNameProblem(content);
      return problem ? `content of a CNAME record ${problem}, got "${content}"` : undefined;
    }
    case "TXT":
      if (content.length === 0) return "content of a TXT record must not be empty";
      return content.length > maxTxtLength
        ? `content of a TXT record must be at most ${maxTxtLength} characters, got ${content.length}`
        : undefined;
    default: {
      // An unknown type is reported by the type check; nothing to say about its content.
      const unknownType: never = type;
      void unknownType;
      return undefined;
    }
  }
}
