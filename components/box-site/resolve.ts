import { ArgumentProblems } from "../argument-problems.js";
import type { AddressRecordType } from "../dns-record/resolve.js";
import { hostnameProblem, nakedDomainProblem } from "../dns-record/public-names.js";
import { imageRepositoryProblem } from "../images.js";
import { defaultContainerResources, type ContainerResources } from "../kubernetes/resources.js";
import type { Routing } from "../kubernetes/routing.js";
import { listenPortProblem, type SecurityProfile } from "../kubernetes/security.js";
import type { AcmeEnvironment } from "../kubernetes/tls.js";
import { writablePathProblems } from "../kubernetes/volumes.js";
import { dnsLabelProblem, emailProblem, httpUrlProblem, nonBlankProblem } from "../value-rules.js";
import type { BoxSiteArgs } from "./args.js";

/** The plain settings of a box site, validated and with every default filled in. */
export interface ResolvedBoxSite {
  readonly siteId: number;
  readonly code: string;
  readonly domain: string;
  readonly testDomain: string;
  readonly techEmail: string;
  readonly oidcClientId: string;
  readonly namespace: string;
  /** The full image reference: `repo:tag` or `repo:tag@sha256:...`. */
  readonly image: string;
  /** The tag or digest, for the `app.kubernetes.io/version` label. */
  readonly version: string;
  readonly themesSource: string;
  readonly themesPath: string;
  readonly syncIntervalSeconds: number;
  readonly syncChannel: string | undefined;
  readonly syncCommand: readonly string[];
  readonly replicas: number;
  readonly resources: Required<ContainerResources>;
  readonly port: number;
  readonly healthPath: string;
  readonly writablePaths: readonly string[];
  readonly securityProfile: SecurityProfile;
  readonly routing: Routing;
  readonly acmeEnvironment: AcmeEnvironment;
  readonly waitForAddress: boolean;
  /** The Cloudflare record of the domain, when asked for. */
  readonly dns?: ResolvedBoxSiteDns;
}

/** The settings of a box site's Cloudflare record, defaults filled in. */
export interface ResolvedBoxSiteDns {
  /** The zone: the site's domain. */
  readonly zone: string;
  /** Undefined: decided from the ingress address (`recordTypeFor`). */
  readonly recordType: AddressRecordType | undefined;
  readonly proxied: boolean;
  readonly ownerStack: string;
}

/** A site code: 1 to 20 lowercase letters, digits and inner hyphens. */
export const siteCodePattern = /^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$/;
/** A box image tag: semver `MAJOR`, `MAJOR.MINOR` or `MAJOR.MINOR.PATCH`. */
export const boxImageTagPattern = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*)){0,2}$/;
const digestPattern = /^sha256:[a-f0-9]{64}$/;
const absolutePathPattern = /^\/[A-Za-z0-9._\/-]*$/;
/** Where themes live in the jzbox image unless told otherwise. */
export const defaultThemesPath = "/var/www/html/themes";

// The rules below are the site file's too: `stacks/site-model/box-site.ts` calls them for the same fields.

/** Why `siteId` is not a site id (a positive whole number), or `undefined`. */
export function siteIdProblem(siteId: number): string | undefined {
  return Number.isSafeInteger(siteId) && siteId > 0
    ? undefined
    : "must be a positive whole number (at most 9007199254740991)";
}

/** Why `code` is not a site code (it names the namespace and the test domain), or `undefined`. */
export function siteCodeProblem(code: string): string | undefined {
  return siteCodePattern.test(code)
    ? undefined
    : 'must be 1 to 20 lowercase letters, digits and inner hyphens like "acme"';
}

/** Why `tag` is not a box image tag (semver, tracking the major by default), or `undefined`. */
export function boxImageTagProblem(tag: string): string | undefined {
  return boxImageTagPattern.test(tag)
    ? undefined
    : 'must be a semver tag "MAJOR", "MAJOR.MINOR" or "MAJOR.MINOR.PATCH" like "0", "0.1" or "0.1.3"';
}

/** Why `zone` cannot hold the DNS record of the site `domain`, or `undefined`. */
export function siteZoneProblem(zone: string, domain: string): string | undefined {
  return zone === domain
    ? undefined
    : `must be the site's domain "${domain}" (the record is created at the zone apex)`;
}

/**
 * Validates the plain arguments of a box site and fills in the defaults. Collects every problem
 * and throws one error naming each field, the bad value and what is allowed.
 */
export function resolveBoxSite(name: string, args: BoxSiteArgs): ResolvedBoxSite {
  const problems = new ArgumentProblems();
  const { check, rule } = problems;

  rule(siteIdProblem(args.siteId), "siteId", args.siteId);
  rule(siteCodeProblem(args.code), "code", args.code);
  rule(nakedDomainProblem(args.domain), "domain", args.domain);
  rule(hostnameProblem(args.testDomainBase), "testDomainBase", args.testDomainBase);
  rule(emailProblem(args.techEmail), "techEmail", args.techEmail);
  rule(nonBlankProblem(args.oidc.clientId), "oidc.clientId", args.oidc.clientId);
  rule(imageRepositoryProblem(args.image.repository), "image.repository", args.image.repository);
  const tag = args.image.tag ?? "0";
  rule(boxImageTagProblem(tag), "image.tag", tag);
  const digest = args.image.digest;
  if (digest !== undefined) {
    check(
      digestPattern.test(digest),
      "image.digest",
      'must be "sha256:" and 64 hex digits',
      digest,
    );
  }
  rule(httpUrlProblem(args.themes.source), "themes.source", args.themes.source);
  const syncIntervalSeconds = args.themes.intervalSeconds ?? 300;
  check(
    Number.isInteger(syncIntervalSeconds) &&
      syncIntervalSeconds >= 30 &&
      syncIntervalSeconds <= 3600,
    "themes.intervalSeconds",
    "must be a whole number of seconds from 30 to 3600 (the seed uses 60 or 300)",
    syncIntervalSeconds,
  );
  if (args.themes.pubsub !== undefined) {
    rule(
      nonBlankProblem(args.themes.pubsub.channel),
      "themes.pubsub.channel",
      args.themes.pubsub.channel,
    );
  }
  const themesPath = args.themes.path ?? defaultThemesPath;
  check(
    absolutePathPattern.test(themesPath),
    "themes.path",
    "must be an absolute path",
    themesPath,
  );
  const syncCommand = args.themes.command ?? ["box-sync"];
  check(syncCommand.length > 0, "themes.command", "must name a command", syncCommand);
  const replicas = args.replicas ?? 1;
  check(
    Number.isInteger(replicas) && replicas >= 0,
    "replicas",
    "must be a whole number, 0 to scale the site down (archived)",
    replicas,
  );
  const securityProfile = args.securityProfile ?? "restricted";
  const port = args.port ?? 8080;
  rule(listenPortProblem(port, securityProfile, true), "port", port);
  const healthPath = args.healthPath ?? "/";
  check(healthPath.startsWith("/"), "healthPath", 'must start with "/"', healthPath);
  const writablePaths = args.writablePaths ?? ["/tmp"];
  problems.push(...writablePathProblems("writablePaths", writablePaths));
  check(
    !writablePaths.includes(themesPath),
    "writablePaths",
    "must not contain the themes path (it has its own volume)",
    writablePaths,
  );
  const routing = args.routing ?? { kind: "ingress", className: "nginx" };
  const zone = args.dns?.cloudflare.zone;
  if (zone !== undefined) rule(siteZoneProblem(zone, args.domain), "dns.cloudflare.zone", zone);
  if (args.networkPolicy !== undefined) {
    rule(
      dnsLabelProblem(args.networkPolicy.ingressControllerNamespace, "ingress-nginx"),
      "networkPolicy.ingressControllerNamespace",
      args.networkPolicy.ingressControllerNamespace,
    );
  }
  if (args.namespace !== undefined) {
    rule(dnsLabelProblem(args.namespace, "box-acme"), "namespace", args.namespace);
  }

  problems.throwIfAny(`BoxSite "${name}"`);

  return {
    siteId: args.siteId,
    code: args.code,
    domain: args.domain,
    testDomain: `${args.code}.${args.testDomainBase}`,
    techEmail: args.techEmail,
    oidcClientId: args.oidc.clientId,
    namespace: args.namespace ?? `box-${args.code}`,
    image:
      digest === undefined
        ? `${args.image.repository}:${tag}`
        : `${args.image.repository}:${tag}@${digest}`,
    version: digest ?? tag,
    themesSource: args.themes.source,
    themesPath,
    syncIntervalSeconds,
    syncChannel: args.themes.pubsub?.channel,
    syncCommand,
    replicas,
    resources: { ...defaultContainerResources, ...definedOnly(args.resources ?? {}) },
    port,
    healthPath,
    writablePaths,
    securityProfile,
    routing,
    acmeEnvironment: args.acmeEnvironment ?? "production",
    waitForAddress: args.waitForAddress ?? true,
    ...(args.dns === undefined
      ? {}
      : {
          dns: {
            zone: zone ?? args.domain,
            recordType: args.dns.cloudflare.recordType,
            // Off: the origin serves its own Let's Encrypt certificate, and HTTP-01 must reach the
            // ingress unchanged.
            proxied: args.dns.cloudflare.proxied ?? false,
            ownerStack: args.dns.cloudflare.ownerStack,
          },
        }),
  };
}

function definedOnly(resources: ContainerResources): ContainerResources {
  return Object.fromEntries(Object.entries(resources).filter(([, v]) => v !== undefined));
}
