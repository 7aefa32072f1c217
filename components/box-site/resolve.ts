import { getDomain } from "tldts";
import { ArgumentProblems, dnsLabelPattern, emailPattern } from "../argument-problems.js";
import { hostnameProblem } from "../dns-record/names.js";
import { defaultContainerResources, type ContainerResources } from "../kubernetes/resources.js";
import type { Routing } from "../kubernetes/routing.js";
import type { SecurityProfile } from "../kubernetes/security.js";
import type { AcmeEnvironment } from "../kubernetes/tls.js";
import { writablePathProblems } from "../kubernetes/volumes.js";
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
}

const codePattern = /^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$/;
const semverTagPattern = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*)){0,2}$/;
const digestPattern = /^sha256:[a-f0-9]{64}$/;
const repositoryPattern =
  /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*$/;
const absolutePathPattern = /^\/[A-Za-z0-9._\/-]*$/;
/** Where themes live in the jzbox image unless told otherwise. */
export const defaultThemesPath = "/var/www/html/themes";

/**
 * Validates the plain arguments of a box site and fills in the defaults. Collects every problem
 * and throws one error naming each field, the bad value and what is allowed.
 */
export function resolveBoxSite(name: string, args: BoxSiteArgs): ResolvedBoxSite {
  const problems = new ArgumentProblems();
  const check = problems.check;

  check(
    Number.isInteger(args.siteId) && args.siteId > 0,
    "siteId",
    "must be a positive whole number",
    args.siteId,
  );
  check(
    codePattern.test(args.code),
    "code",
    'must be 1 to 20 lowercase letters, digits and inner hyphens like "acme"',
    args.code,
  );
  const domainProblem = hostnameProblem(args.domain);
  check(
    domainProblem === undefined && getDomain(args.domain) === args.domain,
    "domain",
    `must be a naked domain like "acme.com"${domainProblem === undefined ? "" : ` (${domainProblem})`}`,
    args.domain,
  );
  check(
    hostnameProblem(args.testDomainBase) === undefined,
    "testDomainBase",
    'must be a lowercase DNS name like "sites.example.net"',
    args.testDomainBase,
  );
  check(
    emailPattern.test(args.techEmail),
    "techEmail",
    'must be an e-mail address like "tech@acme.com"',
    args.techEmail,
  );
  check(args.oidc.clientId.trim() !== "", "oidc.clientId", "must not be empty", args.oidc.clientId);
  check(
    repositoryPattern.test(args.image.repository),
    "image.repository",
    'must be a lowercase image repository without tag like "ghcr.io/juntoz/jzbox"',
    args.image.repository,
  );
  const tag = args.image.tag ?? "0";
  check(
    semverTagPattern.test(tag),
    "image.tag",
    'must be a semver tag "MAJOR", "MAJOR.MINOR" or "MAJOR.MINOR.PATCH" like "0", "0.1" or "0.1.3"',
    tag,
  );
  const digest = args.image.digest;
  if (digest !== undefined) {
    check(
      digestPattern.test(digest),
      "image.digest",
      'must be "sha256:" and 64 hex digits',
      digest,
    );
  }
  check(
    /^https?:\/\/[^\s/]+/.test(args.themes.source),
    "themes.source",
    'must be an http(s) URL like "https://central.example.net/themes"',
    args.themes.source,
  );
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
    check(
      args.themes.pubsub.channel.trim() !== "",
      "themes.pubsub.channel",
      "must not be empty",
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
  check(
    Number.isInteger(port) && port >= 1 && port <= 65535,
    "port",
    "must be a port number from 1 to 65535",
    port,
  );
  if (securityProfile === "restricted") {
    check(
      port >= 1024,
      "port",
      'must be 1024 or above under the "restricted" security profile (a non-root user cannot bind lower ports); make the image listen on e.g. 8080, or use securityProfile "root-allowed"',
      port,
    );
  }
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
  if (args.dns !== undefined) {
    check(
      args.dns.cloudflare.zone === args.domain,
      "dns.cloudflare.zone",
      `must be the site's domain "${args.domain}" (the record is created at the zone apex)`,
      args.dns.cloudflare.zone,
    );
  }
  if (args.networkPolicy !== undefined) {
    check(
      dnsLabelPattern.test(args.networkPolicy.ingressControllerNamespace),
      "networkPolicy.ingressControllerNamespace",
      'must be a namespace name like "ingress-nginx"',
      args.networkPolicy.ingressControllerNamespace,
    );
  }
  if (args.namespace !== undefined) {
    check(
      dnsLabelPattern.test(args.namespace),
      "namespace",
      'must be a namespace name like "box-acme"',
      args.namespace,
    );
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
  };
}

function definedOnly(resources: ContainerResources): ContainerResources {
  return Object.fromEntries(Object.entries(resources).filter(([, v]) => v !== undefined));
}
