import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { recordTypeFor, resolveDnsRecord, type DnsRecordType } from "./resolve.js";
import { zoneIdOf, type ZoneRef } from "./zone.js";

/** Arguments of {@link DnsRecord}. */
export interface DnsRecordArgs {
  /** The zone that holds the record. */
  readonly zone: ZoneRef;
  /**
   * The record's full name in Punycode: the zone apex (`acme.com`) or a name under it
   * (`www.acme.com`, `*.acme.com`, `_dmarc.acme.com`). Plain: validated against the zone.
   * Full names are sent because Cloudflare stores and returns full names.
   */
  readonly name: string;
  /**
   * Record type.
   * @default - from the content: A for an IPv4 address, AAAA for IPv6, CNAME for a host name
   */
  readonly type?: DnsRecordType;
  /**
   * IPv4 address (A), IPv6 address (AAAA), target hostname (CNAME) or text (TXT). Checked up front
   * when plain; an Output (e.g. a server's address) is passed through.
   */
  readonly content: pulumi.Input<string>;
  /**
   * Whether Cloudflare proxies the name (orange cloud).
   * @default - true for A, AAAA and CNAME; false for TXT, which Cloudflare cannot proxy
   */
  readonly proxied?: boolean;
  /**
   * TTL in seconds, 60-86400, for records that are not proxied.
   * @default 1 (automatic); the only value allowed on a proxied record
   */
  readonly ttlSeconds?: number;
  /** The stack that owns the record, written into its comment (e.g. `site-acme`). */
  readonly ownerStack: string;
}

/**
 * One Cloudflare DNS record (provider v6 `cloudflare.DnsRecord`) with sitestack's defaults:
 * web records proxied, automatic TTL, and a comment naming the owning stack.
 *
 * `opts.retainOnDelete` is forwarded to the Cloudflare record: Pulumi does not pass it from a
 * component down to its children, and a retained component alone keeps nothing in Cloudflare.
 */
export class DnsRecord extends pulumi.ComponentResource {
  /** The record's full name, e.g. `www.acme.com`. */
  public readonly fqdn: string;
  /** The id of the zone that holds the record. */
  public readonly zoneId: pulumi.Output<string>;
  /** The Cloudflare record itself. */
  public readonly record: cloudflare.DnsRecord;

  constructor(name: string, args: DnsRecordArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything: a rejected record leaves nothing behind.
    const resolved = resolveDnsRecord(name, {
      zoneName: args.zone.name,
      name: args.name,
      type: args.type,
      content: args.content,
      proxied: args.proxied,
      ttlSeconds: args.ttlSeconds,
      ownerStack: args.ownerStack,
    });
    super("sitestack:edge:DnsRecord", name, {}, opts);
    this.fqdn = resolved.fqdn;
    this.zoneId = zoneIdOf(args.zone, this);
    this.record = new cloudflare.DnsRecord(
      name,
      {
        zoneId: this.zoneId,
        name: resolved.fqdn,
        type: resolved.type ?? pulumi.output(args.content).apply(recordTypeFor),
        content: args.content,
        proxied: resolved.proxied,
        ttl: resolved.ttl,
        comment: resolved.comment,
      },
      {
        parent: this,
        // Cloudflare no longer allows changing a record's type in place.
        replaceOnChanges: ["type"],
        deleteBeforeReplace: true,
        retainOnDelete: opts?.retainOnDelete,
      },
    );
    this.registerOutputs({ fqdn: this.fqdn, zoneId: this.zoneId, record: this.record });
  }
}
