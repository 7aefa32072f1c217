import { ArgumentProblems } from "../argument-problems.js";
import { prefixedEnvProblems } from "../env-prefix.js";
import { hostnameProblem } from "../dns-record/public-names.js";
import { imageReferenceProblem, imageVersion, registryServerProblem } from "../images.js";
import { defaultContainerResources, type ContainerResources } from "../kubernetes/resources.js";
import { ingressPathProblem, type Routing } from "../kubernetes/routing.js";
import { listenPortProblem, type SecurityProfile } from "../kubernetes/security.js";
import type { AcmeEnvironment } from "../kubernetes/tls.js";
import { writablePathProblems } from "../kubernetes/volumes.js";
import { dnsLabelProblem, emailProblem, nonBlankProblem } from "../value-rules.js";
import type { AppArgs } from "./args.js";

export { imageVersion };

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

/** One problem with how an app's services are routed, as {@link routingProblems} reports it. */
export interface RoutingProblem {
  /** The service whose `path` is wrong, or `undefined` for the ingress itself. */
  readonly service: string | undefined;
  /** That service's path. */
  readonly path: string | undefined;
  /** What is wrong. */
  readonly message: string;
}

/**
 * How routing can go wrong across an app's services: a path needs a port and an ingress host, two
 * services cannot share a path, and an ingress needs a path to route. The site-file schema reports
 * the same problems with this same function.
 */
export function routingProblems(
  services: readonly { readonly name: string; readonly port?: unknown; readonly path?: string }[],
  hasIngress: boolean,
): RoutingProblem[] {
  const problems: RoutingProblem[] = [];
  const owners = new Map<string, string>();
  for (const { name, port, path } of services) {
    if (path === undefined) continue;
    const at = (message: string) => problems.push({ service: name, path, message });
    if (port === undefined) at("needs port: a worker without a port cannot be routed");
    if (!hasIngress) at("needs ingress.host to be routed under");
    const owner = owners.get(path);
    if (owner === undefined) owners.set(path, name);
    else at(`is already routed to service "${owner}"`);
  }
  if (hasIngress && services.every((service) => service.path === undefined)) {
    problems.push({
      service: undefined,
      path: undefined,
      message: "is set but no service has a path to route to it",
    });
  }
  return problems;
}

/**
 * Validates the plain arguments of an app and fills in the defaults. Collects every problem and
 * throws one error naming each field, the bad value and what is allowed.
 */
export function resolveApp(name: string, args: AppArgs): ResolvedApp {
  const problems = new ArgumentProblems();
  const { check, rule } = problems;

  const namespace = args.namespace ?? name;
  rule(dnsLabelProblem(namespace, "fiuba"), "namespace", namespace);
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
    const nameProblem = dnsLabelProblem(serviceName, "users");
    rule(nameProblem === undefined ? undefined : `name ${nameProblem}`, at, serviceName);
    rule(imageReferenceProblem(service.image), `${at}.image`, service.image);
    const profile = service.securityProfile ?? "restricted";
    if (service.port !== undefined) {
      rule(listenPortProblem(service.port, profile, true), `${at}.port`, service.port);
    }
    if (service.path !== undefined) {
      rule(ingressPathProblem(service.path), `${at}.path`, service.path);
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
    rule(hostnameProblem(host), "ingress.host", host);
    const tls = args.ingress.tls;
    if (tls !== undefined) {
      rule(emailProblem(tls.email, "ops@example.net"), "ingress.tls.email", tls.email);
    }
  }
  for (const problem of routingProblems(services, args.ingress !== undefined)) {
    if (problem.service === undefined) rule(problem.message, "ingress", args.ingress?.host);
    else rule(problem.message, `services.${problem.service}.path`, problem.path);
  }
  if (args.registry !== undefined) {
    rule(registryServerProblem(args.registry.server), "registry.server", args.registry.server);
    rule(nonBlankProblem(args.registry.username), "registry.username", args.registry.username);
  }
  if (args.networkPolicy !== undefined) {
    rule(
      dnsLabelProblem(args.networkPolicy.ingressControllerNamespace, "ingress-nginx"),
      "networkPolicy.ingressControllerNamespace",
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
