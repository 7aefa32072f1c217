import { ArgumentProblems } from "../argument-problems.js";
import { createHash } from "node:crypto";
import { isIP } from "node:net";
import { dnsNameProblem } from "../dns-record/names.js";
import { cloudflareRanges } from "./cloudflare-ips.js";
import { ipAddressProblem, portProblem } from "../value-rules.js";
import { layoutProblems, routeFiles, type NginxLayout } from "./layout.js";

/** Where the proxied traffic goes: the app's private address (an LXD container) and port. */
export interface Upstream {
  /** IPv4, IPv6 or host name. A host name is resolved by nginx when it loads the config. */
  readonly host: string;
  /** TCP port, 1-65535. */
  readonly port: number;
}

/** The ports and address nginx listens on for the domain. */
export interface ListenSettings {
  /** @default 80 */
  readonly httpPort?: number;
  /** @default 443 */
  readonly httpsPort?: number;
  /**
   * One address to listen on.
   * @default - every IPv4 and IPv6 address
   */
  readonly address?: string;
}

/** Everything one domain's server blocks depend on. */
export interface ServerBlockSettings {
  /** The host name served, e.g. `app.example.com`. */
  readonly domain: string;
  /** Where requests are proxied to. */
  readonly upstream: Upstream;
  /** Where the files live on the host (the certificate paths come from here). */
  readonly layout: NginxLayout;
  /**
   * Peers whose `CF-Connecting-IP` header is taken as the visitor's address (CIDR ranges).
   * @default - Cloudflare's published ranges ({@link cloudflareRanges})
   */
  readonly trustedProxyRanges?: readonly string[];
  /** @default - ports 80 and 443 on every address */
  readonly listen?: ListenSettings;
}

/**
 * Why `value` cannot be the address of a machine sitestack reaches (the upstream nginx proxies to,
 * the host it connects to over SSH), or `undefined`: an IP address without a zone id, `localhost`,
 * or a lowercase host name with a domain (`web1.lxd`): a single label resolves only through a
 * search domain, which differs between machines. The site file's `upstream.host` and
 * `host.address` are checked with this same function.
 */
export function networkAddressProblem(value: string): string | undefined {
  if (isIP(value) !== 0) return ipAddressProblem(value);
  if (value === "localhost") return undefined;
  const problem = dnsNameProblem(value);
  return problem === undefined
    ? undefined
    : `must be an IP address like "10.0.3.15" or a host name with a domain like "web1.lxd" (${problem})`;
}

/** Every problem with the settings, as `field message` strings (empty when they are valid). */
export function serverBlockProblems(settings: ServerBlockSettings): string[] {
  const problems: string[] = [];
  const domainProblem = dnsNameProblem(settings.domain);
  if (domainProblem)
    problems.push(`domain ${domainProblem}, got ${JSON.stringify(settings.domain)}`);
  const upstreamHost = settings.upstream.host;
  const hostProblem = networkAddressProblem(upstreamHost);
  if (hostProblem) {
    problems.push(`upstream.host ${hostProblem}, got ${JSON.stringify(upstreamHost)}`);
  }
  problems.push(...portProblems("upstream.port", settings.upstream.port));
  problems.push(...layoutProblems(settings.layout));
  for (const [index, range] of (settings.trustedProxyRanges ?? []).entries()) {
    if (!isCidr(range)) {
      problems.push(
        `trustedProxyRanges[${index}] must be an address range like "203.0.113.0/24" or "2001:db8::/32", got ${JSON.stringify(range)}`,
      );
    }
  }
  const listen = settings.listen ?? {};
  if (listen.httpPort !== undefined)
    problems.push(...portProblems("listen.httpPort", listen.httpPort));
  if (listen.httpsPort !== undefined) {
    problems.push(...portProblems("listen.httpsPort", listen.httpsPort));
  }
  if (listen.address !== undefined && isIP(listen.address) === 0) {
    problems.push(`listen.address must be an IP address, got ${JSON.stringify(listen.address)}`);
  }
  return problems;
}

function portProblems(field: string, port: number): string[] {
  const problem = portProblem(port);
  return problem === undefined ? [] : [`${field} ${problem}, got ${JSON.stringify(port)}`];
}

function isCidr(range: string): boolean {
  const match = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(range);
  if (!match) return false;
  const family = isIP(match[1] ?? "");
  const bits = Number(match[2]);
  return (family === 4 && bits <= 32) || (family === 6 && bits <= 128);
}

/**
 * The nginx variable that carries the `Connection` header for WebSocket upgrades. `map` variables
 * are global to `http {}`, so each domain's file gets its own name (from a hash: host names may
 * differ only in characters a variable name cannot hold) and files never clash.
 */
export function connectionUpgradeVariable(domain: string): string {
  const digest = createHash("sha256").update(domain).digest("hex").slice(0, 12);
  return `$sitestack_connection_upgrade_${digest}`;
}

function listenLines(port: number, address: string | undefined, tls: boolean): string[] {
  const suffix = tls ? " ssl" : "";
  if (address === undefined) return [`listen ${port}${suffix};`, `listen [::]:${port}${suffix};`];
  const host = isIP(address) === 6 ? `[${address}]` : address;
  return [`listen ${host}:${port}${suffix};`];
}

function upstreamUrl(upstream: Upstream): string {
  const host = isIP(upstream.host) === 6 ? `[${upstream.host}]` : upstream.host;
  return `http://${host}:${upstream.port}`;
}

/**
 * Renders one domain's nginx configuration: a WebSocket `map`, a port-80 server that answers 301 to
 * https, and a port-443 server that terminates TLS with the origin certificate and proxies to the
 * upstream. Pure; throws one error listing every problem, so no value can inject configuration.
 */
export function renderServerBlock(settings: ServerBlockSettings): string {
  const problems = new ArgumentProblems();
  problems.push(...serverBlockProblems(settings));
  problems.throwIfAny(`nginx server block for ${JSON.stringify(settings.domain)}`);
  const { domain } = settings;
  const files = routeFiles(settings.layout, domain);
  const listen = settings.listen ?? {};
  const upgrade = connectionUpgradeVariable(domain);
  const trusted = settings.trustedProxyRanges ?? cloudflareRanges;
  const indent = (lines: string[], depth = 1) =>
    lines.map((line) => `${"    ".repeat(depth)}${line}`);

  return [
    `# Managed by sitestack (HostRoute for ${domain}). Manual edits are overwritten.`,
    "",
    "# WebSocket: pass the client's Upgrade on, and close (not keep-alive) otherwise.",
    `map $http_upgrade ${upgrade} {`,
    "    default upgrade;",
    "    '' close;",
    "}",
    "",
    "server {",
    ...indent(listenLines(listen.httpPort ?? 80, listen.address, false)),
    `    server_name ${domain};`,
    // A fixed target, not $host: the redirect never reflects a client-chosen name. No ACME
    // exception: the origin certificate comes from Cloudflare or is self-signed, never from HTTP-01.
    `    return 301 https://${domain}$request_uri;`,
    "}",
    "",
    "server {",
    ...indent(listenLines(listen.httpsPort ?? 443, listen.address, true)),
    `    server_name ${domain};`,
    "",
    `    ssl_certificate ${files.certificate};`,
    `    ssl_certificate_key ${files.key};`,
    "    ssl_protocols TLSv1.2 TLSv1.3;",
    "",
    "    # The visitor's address comes from CF-Connecting-IP, but only when the peer is one of these.",
    ...indent(trusted.map((range) => `set_real_ip_from ${range};`)),
    "    real_ip_header CF-Connecting-IP;",
    "",
    "    location / {",
    `        proxy_pass ${upstreamUrl(settings.upstream)};`,
    "        proxy_http_version 1.1;",
    "        proxy_set_header Host $host;",
    "        proxy_set_header X-Real-IP $remote_addr;",
    // One trusted address, not the client-supplied chain: apps that read the first entry of
    // X-Forwarded-For cannot be fooled by a forged header.
    "        proxy_set_header X-Forwarded-For $remote_addr;",
    "        proxy_set_header X-Forwarded-Proto https;",
    "        proxy_set_header X-Forwarded-Host $host;",
    "        proxy_set_header Upgrade $http_upgrade;",
    `        proxy_set_header Connection ${upgrade};`,
    "    }",
    "}",
    "",
  ].join("\n");
}
