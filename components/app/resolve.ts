import { ArgumentProblems, dnsLabelPattern, emailPattern } from "../argument-problems.js";
import { prefixedEnvProblems } from "../env-prefix.js";
import { hostnameProblem } from "../dns-record/names.js";
import { defaultContainerResources, type ContainerResources } from "../kubernetes/resources.js";
import type { Routing } from "../kubernetes/routing.js";
import type { SecurityProfile } from "../kubernetes/security.js";
import type { AcmeEnvironment } from "../kubernetes/tls.js";
import { writablePathProblems } from "../kubernetes/volumes.js";
import type { AppArgs } from "./args.js";

/** One service, validated, defaults filled in. */
export interface ResolvedService {
  readonly name: string;
  readonly image: string;
  /** The image's tag or digest, for the `app.kubernetes.io/version` label. */
  readonly version: string;
  readonly port: number | undefined;
  readonly env: Readonly<Record<string, string>>;
  readonly secretEnvKeys: readonly string[];
  readonly path: string | undefined;
  readonly replicas: number;
  readonly resources: Required<ContainerResources>;
  readonly healthPath: string | undefined;
  readonly writablePaths: readonly string[];
  readonly securityProfile: SecurityProfile;
}

/** An app, validated, defaults filled in. */
export interface ResolvedApp {
  readonly namespace: string;
  readonly services: readonly ResolvedService[];
  readonly host: string | undefined;
  readonly tls: { readonly email: string; readonly environment: AcmeEnvironment } | undefined;
  readonly routing: Routing;
  readonly waitForAddress: boolean;
}

const imagePattern =
  /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/** The tag or digest of an image reference, or undefined when it has neither. */
export function imageVersion(image: string): string | undefined {
  const digest = image.match(/@(sha256:[a-f0-9]{64})$/)?.[1];
  if (digest !== undefined) return digest;
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.indexOf(":");
  return colon === -1 ? undefined : lastSegment.slice(colon + 1);
}

/**
 * Validates the plain arguments of an app and fills in the defaults. Collects every problem and
 * throws one error naming each field, the bad value and what is allowed.
 */
export function resolveApp(name: string, args: AppArgs): ResolvedApp {
  const problems = new ArgumentProblems();
  const check = problems.check;

  const namespace = args.namespace ?? name;
  check(
    dnsLabelPattern.test(namespace),
    "namespace",
    'must be a namespace name like "fiuba"',
    namespace,
  );
  const entries = Object.entries(args.services);
  check(
    entries.length > 0,
    "services",
    "must name at least one service",
    Object.keys(args.services),
  );

  const services: ResolvedService[] = [];
  for (const [serviceName, service] of entries) {
    const at = `services.${serviceName}`;
    check(
      dnsLabelPattern.test(serviceName),
      at,
      'must be named by a lowercase DNS label like "users"',
      serviceName,
    );
    check(
      imagePattern.test(service.image) && imageVersion(service.image) !== undefined,
      `${at}.image`,
      'must be an image reference with a tag or digest like "taller2fiuba/users:1.4.0"',
      service.image,
    );
    check(
      imageVersion(service.image) !== "latest",
      `${at}.image`,
      'must name a version, not the moving "latest" tag',
      service.image,
    );
    const profile = service.securityProfile ?? "restricted";
    if (service.port !== undefined) {
      check(
        Number.isInteger(service.port) && service.port >= 1 && service.port <= 65535,
        `${at}.port`,
        "must be a port number from 1 to 65535",
        service.port,
      );
      if (profile === "restricted") {
        check(
          service.port >= 1024,
          `${at}.port`,
          'must be 1024 or above under the "restricted" security profile (a non-root user cannot bind lower ports), or use securityProfile "root-allowed"',
          service.port,
        );
      }
    }
    if (service.path !== undefined) {
      check(
        /^\/[A-Za-z0-9._~/-]*$/.test(service.path),
        `${at}.path`,
        'must be a path like "/users"',
        service.path,
      );
      check(
        service.port !== undefined,
        `${at}.path`,
        "needs port: a worker without a port cannot be routed",
        service.path,
      );
      check(
        args.ingress !== undefined,
        `${at}.path`,
        "needs ingress.host to be routed under",
        service.path,
      );
    }
    const replicas = service.replicas ?? 1;
    check(
      Number.isInteger(replicas) && replicas >= 0,
      `${at}.replicas`,
      "must be a whole number, 0 to scale down",
      replicas,
    );
    if (service.healthPath !== undefined) {
      check(
        service.healthPath.startsWith("/"),
        `${at}.healthPath`,
        'must start with "/"',
        service.healthPath,
      );
      check(service.port !== undefined, `${at}.healthPath`, "needs port", service.healthPath);
    }
    const writablePaths = service.writablePaths ?? ["/tmp"];
    problems.push(...writablePathProblems(`${at}.writablePaths`, writablePaths));
    const env = service.env ?? {};
    const secretEnv = service.secretEnv ?? {};
    problems.push(
      ...prefixedEnvProblems(serviceName, {
        env: Object.keys(env),
        secretEnv: Object.keys(secretEnv),
      }).map((problem) => `${at}.${problem}`),
    );
    services.push({
      name: serviceName,
      image: service.image,
      version: imageVersion(service.image) ?? "",
      port: service.port,
      env,
      secretEnvKeys: Object.keys(secretEnv),
      path: service.path,
      replicas,
      resources: {
        ...defaultContainerResources,
        ...Object.fromEntries(
          Object.entries(service.resources ?? {}).filter(([, v]) => v !== undefined),
        ),
      },
      healthPath: service.healthPath,
      writablePaths,
      securityProfile: profile,
    });
  }

  if (args.ingress !== undefined) {
    const host = args.ingress.host;
    const hostProblem = hostnameProblem(host);
    check(
      hostProblem === undefined,
      "ingress.host",
      `must be a DNS name like "api.example.net"${hostProblem === undefined ? "" : ` (${hostProblem})`}`,
      host,
    );
    check(
      services.some((s) => s.path !== undefined),
      "ingress",
      "is set but no service has a path to route to it",
      host,
    );
    const tls = args.ingress.tls;
    if (tls !== undefined) {
      check(
        emailPattern.test(tls.email),
        "ingress.tls.email",
        'must be an e-mail address like "ops@example.net"',
        tls.email,
      );
    }
  }
  const owners = new Map<string, string>();
  for (const s of services) {
    if (s.path === undefined) continue;
    const owner = owners.get(s.path);
    check(
      owner === undefined,
      `services.${s.name}.path`,
      `is already routed to service "${owner}"`,
      s.path,
    );
    if (owner === undefined) owners.set(s.path, s.name);
  }
  if (args.registry !== undefined) {
    check(
      hostnameProblem(args.registry.server) === undefined,
      "registry.server",
      'must be a registry host like "chefcito.azurecr.io"',
      args.registry.server,
    );
    check(
      args.registry.username !== "",
      "registry.username",
      "must not be empty",
      args.registry.username,
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

  problems.throwIfAny(`App "${name}"`);
  const tls = args.ingress?.tls;
  return {
    namespace,
    services,
    host: args.ingress?.host,
    tls:
      tls === undefined
        ? undefined
        : { email: tls.email, environment: tls.environment ?? "production" },
    routing: args.routing ?? { kind: "ingress", className: "nginx" },
    waitForAddress: args.waitForAddress ?? true,
  };
}
