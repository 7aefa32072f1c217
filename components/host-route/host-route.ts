import { ArgumentProblems } from "../argument-problems.js";
import * as cloudflare from "@pulumi/cloudflare";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { recordTypeFor } from "../dns-record/resolve.js";
import { DnsRecord } from "../dns-record/dns-record.js";
import { dnsNameProblem, outsideZoneProblem } from "../dns-record/names.js";
import {
  hostnameProblem,
  nakedDomainProblem,
  registrableDomainOf,
} from "../dns-record/public-names.js";
import { zoneIdOf, type ZoneRef } from "../dns-record/zone.js";
import {
  renderInstallPayload,
  renderInstallScript,
  renderRemoteCommand,
  renderRemoveScript,
} from "./install-script.js";
import { ed25519HostKeyPath, hostKeyProblem, sshTrustProblem } from "./host-key.js";
import { debianNginxLayout, type NginxLayout } from "./layout.js";
import { ipAddressProblem, portProblem } from "../value-rules.js";
import { originCertificate, type OriginSslMode } from "./origin-certificate.js";
import { sslModeProblem, unixUserProblem } from "./rules.js";
import {
  networkAddressProblem,
  renderServerBlock,
  serverBlockProblems,
  type Upstream,
} from "./server-block.js";

/** How sitestack reaches the nginx host over SSH. */
export interface SshTarget {
  /** Address of the host (IP or host name). Plain: validated up front. */
  readonly host: string;
  /** @default 22 */
  readonly port?: number;
  /** A user that may write the nginx files and reload nginx; not root means `sudo -n` is used. */
  readonly user: string;
  /** The SSH private key (PEM/OpenSSH). Always handled as a Pulumi secret. */
  readonly privateKey: pulumi.Input<string>;
  /**
   * The host's public key, one line of its `.pub` file (`ssh-ed25519 AAAA... [comment]`), checked
   * on every connection. A plain string is validated up front ({@link hostKeyProblem}). Give
   * either this or `trustOnFirstUse: true`.
   * @default - none: then `trustOnFirstUse` must be true
   */
  readonly hostKey?: pulumi.Input<string>;
  /**
   * Accept the key the host presents on the first connection: a `<name>-hostkey` command reads
   * the host's ed25519 public key once over an unchecked connection, and every connection of the
   * route is pinned to that key from then on (a new `host` or `port` is a new first use). Without
   * it a route must pin `hostKey`: an unchecked connection is a choice, never a default.
   * @default false
   */
  readonly trustOnFirstUse?: boolean;
}

/** The Cloudflare side of the route. */
export interface HostRouteCloudflare {
  /**
   * The zone that holds the domain: a naked domain, so the domain's registrable domain.
   * @default - `{ name: <the domain's registrable domain> }`, its id looked up by name
   */
  readonly zone?: ZoneRef;
  /**
   * Encryption between Cloudflare and the origin. `strict` validates the origin certificate (a
   * Cloudflare Origin CA certificate); `full` accepts any certificate, so anyone on the path could
   * impersonate the origin.
   * @default "strict"
   */
  readonly sslMode?: OriginSslMode;
}

/** Arguments of {@link HostRoute}. */
export interface HostRouteArgs {
  /** The host name served, e.g. `app.example.com`. Plain: validated against the zone. */
  readonly domain: string;
  /** The app's private address (an LXD container) and port. Plain: pasted into nginx config. */
  readonly upstream: Upstream;
  /** The VPS's public IPv4 or IPv6 address; the proxied DNS record (A or AAAA) points here. */
  readonly publicIp: string;
  /** How to reach the VPS. */
  readonly ssh: SshTarget;
  /** The Cloudflare zone and SSL mode. */
  readonly cloudflare: HostRouteCloudflare;
  /** The stack that owns the route, named in the DNS record's comment. */
  readonly ownerStack: string;
  /**
   * Where nginx and the route's files live on the host.
   * @default - Debian/Ubuntu's nginx package: `/etc/nginx/conf.d`, `/etc/nginx/sitestack`, `nginx`
   */
  readonly layout?: NginxLayout;
}

/**
 * The zone of a route: the given one, or the domain's registrable domain (a zone is a naked
 * domain, so that is the only zone that can hold it). For arguments without problems.
 */
export function routeZone(args: HostRouteArgs): ZoneRef {
  // Valid: a public host name has a registrable domain.
  return args.cloudflare.zone ?? { name: registrableDomainOf(args.domain) as string };
}

/** Every problem with the arguments that can be seen before anything is created. */
export function hostRouteProblems(args: HostRouteArgs): string[] {
  const layout = args.layout ?? debianNginxLayout;
  const problems = serverBlockProblems({ domain: args.domain, upstream: args.upstream, layout });
  const got = (value: unknown) => `, got ${JSON.stringify(value)}`;
  const zone = args.cloudflare.zone?.name;
  const zoneNameProblem = zone === undefined ? undefined : nakedDomainProblem(zone);
  if (zoneNameProblem !== undefined) {
    problems.push(`cloudflare.zone.name ${zoneNameProblem}${got(zone)}`);
  }
  // A name that is no DNS name has the server block's problem; a route is also public (Cloudflare,
  // Origin CA): one problem for the domain, whichever rule it breaks first.
  if (dnsNameProblem(args.domain) === undefined) {
    const publicProblem = hostnameProblem(args.domain);
    const zoneProblem = zone === undefined ? undefined : outsideZoneProblem(args.domain, zone);
    if (publicProblem !== undefined) problems.push(`domain ${publicProblem}${got(args.domain)}`);
    else if (zoneNameProblem === undefined && zoneProblem !== undefined) {
      problems.push(`domain ${zoneProblem}${got(args.domain)}`);
    }
  }
  const ipProblem = ipAddressProblem(args.publicIp, "203.0.113.40");
  if (ipProblem !== undefined) problems.push(`publicIp ${ipProblem}${got(args.publicIp)}`);
  const sshHost = args.ssh.host;
  const sshHostProblem = networkAddressProblem(sshHost);
  if (sshHostProblem !== undefined) problems.push(`ssh.host ${sshHostProblem}${got(sshHost)}`);
  const sshPort = args.ssh.port ?? 22;
  const sshPortProblem = portProblem(sshPort);
  if (sshPortProblem !== undefined) problems.push(`ssh.port ${sshPortProblem}${got(sshPort)}`);
  const userProblem = unixUserProblem(args.ssh.user);
  if (userProblem !== undefined) problems.push(`ssh.user ${userProblem}${got(args.ssh.user)}`);
  if (typeof args.ssh.hostKey === "string") {
    // The key's rule never repeats the value: a private key pasted by mistake stays out of errors.
    const keyProblem = hostKeyProblem(args.ssh.hostKey);
    if (keyProblem !== undefined) problems.push(`ssh.hostKey ${keyProblem}`);
  }
  const trust = sshTrustProblem(args.ssh);
  if (trust !== undefined) problems.push(`ssh.${trust.field} ${trust.message}`);
  const mode: string = args.cloudflare.sslMode ?? "strict";
  const modeProblem = sslModeProblem(mode);
  if (modeProblem !== undefined) problems.push(`cloudflare.sslMode ${modeProblem}${got(mode)}`);
  return problems;
}

/**
 * One domain served by a VPS's nginx behind Cloudflare (seed 001): the origin certificate, the
 * nginx server blocks shipped over SSH with a checked install, a proxied DNS record to the VPS and
 * the zone's SSL mode.
 */
export class HostRoute extends pulumi.ComponentResource {
  /** `https://<domain>`. */
  public readonly url: string;
  /** The proxied record pointing the domain at the VPS. */
  public readonly dnsRecord: DnsRecord;
  /** The remote command that installs (and on delete removes) the nginx configuration. */
  public readonly nginxConfig: command.remote.Command;
  /**
   * The SSH host key every connection is pinned to: `ssh.hostKey`, or with `trustOnFirstUse` the
   * key read on the first connection (copy it into the site file to pin it explicitly).
   */
  public readonly sshHostKey: pulumi.Output<string>;

  constructor(name: string, args: HostRouteArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything: a rejected route leaves nothing behind, not even itself.
    const problems = new ArgumentProblems();
    problems.push(...hostRouteProblems(args));
    problems.throwIfAny(`HostRoute ${JSON.stringify(name)}`);
    super("sitestack:edge:HostRoute", name, {}, opts);

    const layout = args.layout ?? debianNginxLayout;
    const mode = args.cloudflare.sslMode ?? "strict";
    const { domain } = args;
    this.url = `https://${domain}`;

    const certificate = originCertificate(name, domain, mode, this);
    const serverBlock = renderServerBlock({ domain, upstream: args.upstream, layout });
    const payload = pulumi.secret(
      pulumi
        .all([certificate.certificatePem, certificate.privateKeyPem])
        .apply(([certPem, keyPem]) => renderInstallPayload(serverBlock, certPem, keyPem)),
    );

    const connection = {
      host: args.ssh.host,
      port: args.ssh.port ?? 22,
      user: args.ssh.user,
      privateKey: pulumi.secret(args.ssh.privateKey),
    };
    this.sshHostKey =
      args.ssh.hostKey !== undefined
        ? pulumi.output(args.ssh.hostKey)
        : learnHostKey(name, connection, this);

    this.nginxConfig = new command.remote.Command(
      name,
      {
        connection: { ...connection, hostKey: this.sshHostKey },
        create: renderRemoteCommand(renderInstallScript(domain, layout), args.ssh.user),
        delete: renderRemoteCommand(renderRemoveScript(domain, layout), args.ssh.user),
        stdin: payload,
        // A new domain or layout means other files: replace (install new, then remove old) rather
        // than update, which would leave the old files behind.
        triggers: [domain, layout.confDir, layout.stateDir],
        // The scripts do not read the previous run's output, and most sshd configs refuse to
        // accept the extra environment variables anyway (no AcceptEnv).
        addPreviousOutputInEnv: false,
      },
      { parent: this, additionalSecretOutputs: ["stdin"] },
    );

    const zone = routeZone(args);
    const zoneId = zoneIdOf(zone, this);
    // Traffic and strict validation start only once the origin serves the certificate. The record
    // takes the dependency through its content: a component's dependsOn does not reach its children.
    this.dnsRecord = new DnsRecord(
      `${name}-dns`,
      {
        zone: { name: zone.name, id: zoneId },
        name: domain,
        type: recordTypeFor(args.publicIp),
        content: this.nginxConfig.id.apply(() => args.publicIp),
        proxied: true,
        ownerStack: args.ownerStack,
      },
      { parent: this },
    );
    new cloudflare.ZoneSetting(
      `${name}-ssl`,
      { zoneId, settingId: "ssl", value: mode },
      // The mode is zone-wide and other routes in the zone rely on it: destroying one route must
      // not lower it.
      { parent: this, dependsOn: [this.nginxConfig], retainOnDelete: true },
    );

    this.registerOutputs({
      url: this.url,
      dnsRecord: this.dnsRecord,
      nginxConfig: this.nginxConfig,
      sshHostKey: this.sshHostKey,
    });
  }
}

/**
 * Trust on first use: one command, run once over a connection that checks no host key, reads the
 * host's ed25519 public key; its output then pins every other connection. It runs again only when
 * it is replaced, that is for a new address or port (a new host is a new first use); other
 * connection changes (a new user or private key) are ignored so they never re-open the window.
 * It has no delete command, so destroying it never connects.
 */
function learnHostKey(
  name: string,
  connection: { host: string; port: number; user: string; privateKey: pulumi.Output<string> },
  parent: pulumi.Resource,
): pulumi.Output<string> {
  const reader = new command.remote.Command(
    `${name}-hostkey`,
    {
      connection,
      create: `cat ${ed25519HostKeyPath}`,
      triggers: [connection.host, connection.port],
      addPreviousOutputInEnv: false,
    },
    { parent, ignoreChanges: ["connection"] },
  );
  return reader.stdout.apply((line) => line.trim());
}
