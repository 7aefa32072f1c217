import { hostnameProblem } from "../dns-record/public-names.js";
import { prefixedEnvProblems, prefixedName } from "../env-prefix.js";
import { imageReferenceProblem, registryServerProblem } from "../images.js";
import { ingressPathProblem } from "../kubernetes/routing.js";
import { dnsLabelProblem, nonBlankProblem, portProblem } from "../value-rules.js";
import type {
  ContainerAppServiceArgs,
  ContainerAppsAppArgs,
  ContainerAppsEnvironmentArgs,
} from "./args.js";
import { ingressKind } from "./service-defaults.js";

/** An Azure region name: `eastus2`. */
export const regionPattern = /^[a-z][a-z0-9]*$/;
/** Azure: 1-90 letters, digits, "_", "-", ".", "(" and ")", not ending with ".". */
export const resourceGroupPattern = /^[A-Za-z0-9_().-]{0,89}[A-Za-z0-9_()-]$/;
/** An Azure Container Registry name: 5 to 50 letters and digits. */
export const registryNamePattern = /^[A-Za-z0-9]{5,50}$/;
// Azure: 2-32 lowercase letters, digits and "-", starting with a letter, no "--", not ending in "-".
const containerAppNamePattern = /^[a-z](?!.*--)[a-z0-9-]{0,30}[a-z0-9]$/;

/**
 * The Azure name of a service's Container App: the service name itself, because apps of one
 * environment reach each other by app name (`http://users`), as pods reach a Kubernetes Service by
 * its name; a site file then means the same on both targets.
 */
export function containerAppName(serviceName: string): string {
  return serviceName;
}

/** Why `location` is not an Azure region name like `eastus2`, or `undefined`. */
export function regionProblem(location: string): string | undefined {
  return regionPattern.test(location)
    ? undefined
    : 'must be an Azure region name like "westeurope" or "eastus2"';
}

/** Why `name` cannot name an Azure resource group, or `undefined`. */
export function resourceGroupNameProblem(name: string): string | undefined {
  return resourceGroupPattern.test(name)
    ? undefined
    : 'must be 1 to 90 letters, digits, "_", "-", ".", "(" or ")", not ending with "."';
}

/** Why `name` cannot name an Azure Container Registry, or `undefined`. */
export function registryNameProblem(name: string): string | undefined {
  return registryNamePattern.test(name)
    ? undefined
    : "must be 5 to 50 letters and digits (it becomes <name>.azurecr.io)";
}

/** Azure Container Registry service tiers that are still sold (Classic is retired). */
export const registrySkus = ["Basic", "Standard", "Premium"] as const;

/** Host suffix of Azure Container Registry login servers (public cloud). */
export const acrHostSuffix = ".azurecr.io";

/** Whether `server` is an Azure Container Registry login server (`chefcitoprod.azurecr.io`). */
export function isAzureRegistryHost(server: string): boolean {
  return server.toLowerCase().endsWith(acrHostSuffix);
}

/**
 * Why a registry choice is not exactly one of `existing` (adopted: looked up, never created or
 * deleted) and `create` (owned by the stack), or `undefined`. One field never means both, and
 * there is no default: a registry name taken elsewhere in Azure would only fail at `up`.
 */
export function registryChoiceProblem(choice: {
  readonly existing?: unknown;
  readonly create?: unknown;
}): string | undefined {
  const adopted = choice.existing !== undefined;
  const created = choice.create !== undefined;
  if (adopted && created) {
    return "must have either existing or create, not both: a registry is adopted or owned";
  }
  if (!adopted && !created) {
    return "must have existing (adopt a registry that exists, never created or deleted) or create (a registry the stack creates and owns)";
  }
  return undefined;
}

/**
 * Why `server` cannot be the registry pulled with a user name and password (`privateRegistry`,
 * `spec.registry` in a site file), or `undefined`: a registry host outside Azure. An Azure
 * Container Registry is the app's own registry, pulled through the managed identity; a password
 * for it would never be used.
 */
export function privateRegistryServerProblem(server: string): string | undefined {
  const host = registryServerProblem(server);
  if (host !== undefined) return host;
  return isAzureRegistryHost(server)
    ? "must be a registry outside Azure: an Azure Container Registry is the app's own registry (azure.registry in a site file: existing or create), pulled through a managed identity without a password"
    : undefined;
}

/** The steps of binding a custom host, in order (see `CustomDomainBinding`). */
export const customDomainBindings = ["none", "hostname", "certificate"] as const;

const bindingSteps =
  '"none" until the DNS records of the stack output customDomainRecords exist, then "hostname" (adds the host to the app and requests the managed certificate), then "certificate" (serves the host with it), one up each';

/**
 * Why a custom host cannot be bound at step `binding`, or `undefined`. With a host (`hasHost`),
 * the step is required, since Azure binds a new host in steps and each needs its own `up`; without
 * one, a step means nothing.
 */
export function customDomainBindingProblem(
  binding: string | undefined,
  hasHost: boolean,
): string | undefined {
  if (!hasHost) {
    return binding === undefined
      ? undefined
      : "is only allowed with a custom host (spec.ingress.host)";
  }
  if (binding === undefined)
    return `is required with a custom host (spec.ingress.host): ${bindingSteps}`;
  return (customDomainBindings as readonly string[]).includes(binding)
    ? undefined
    : 'must be "none", "hostname" or "certificate"';
}

/**
 * The services of an app with a custom host that cannot have an ingress path, each with why: the
 * host is bound to one Container App and Container Apps have no shared path router, so only the
 * first service with a path (in `routed`, in file order) can have one.
 */
export function customDomainRoutingProblems(
  routed: readonly string[],
): { readonly service: string; readonly message: string }[] {
  const [first, ...others] = routed;
  return others.map((service) => ({
    service,
    message: `on azure-container-apps only one service can have a path: spec.ingress.host is bound to one Container App and there is no shared path router; service ${show(first)} has one, so give this service a port only (the others reach it as http://${service})`,
  }));
}

/**
 * Why `name` cannot name a service on Container Apps, or `undefined`: a lowercase DNS label that
 * is also a valid Container App name (see {@link containerAppName}).
 */
export function containerAppServiceNameProblem(name: string): string | undefined {
  const label = dnsLabelProblem(name, "users");
  if (label !== undefined) return label;
  return containerAppNamePattern.test(containerAppName(name))
    ? undefined
    : 'is also the Container App name, and Azure allows 2 to 32 lowercase letters, digits and single "-", starting with a letter';
}

/**
 * Why a service cannot keep at least `min` replicas, or `undefined`: 0 to 300, and a worker
 * (`hasPort` false) at least 1, since without HTTP traffic nothing would ever start it.
 */
export function minReplicasProblem(min: number, hasPort: boolean): string | undefined {
  if (!isWholeIn(min, 0, 300)) return "must be a whole number from 0 to 300";
  if (min === 0 && !hasPort) {
    return "must be at least 1 for a worker (no port): with no HTTP traffic nothing would ever start it";
  }
  return undefined;
}

/**
 * Secret keys of one service that end up as the Container App secret of an earlier key (secret
 * names are lowercase with "-", see {@link secretName}), each with what is wrong.
 */
export function secretNameCollisions(
  serviceName: string,
  secretKeys: readonly string[],
): { readonly key: string; readonly message: string }[] {
  const collisions: { key: string; message: string }[] = [];
  const keyOfSecret = new Map<string, string>();
  for (const key of secretKeys) {
    let name: string;
    try {
      name = secretName(serviceName, key);
    } catch {
      continue; // a key that is not allowed has its own problem
    }
    const earlier = keyOfSecret.get(name);
    if (earlier === undefined) keyOfSecret.set(name, key);
    else {
      collisions.push({
        key,
        message: `becomes the Container App secret ${show(name)}, like secretEnv.${earlier}; rename one of them`,
      });
    }
  }
  return collisions;
}

/**
 * The Container App secret that holds one secret variable: the prefixed variable name in the form
 * Container Apps accept (lowercase letters, digits and "-"): `USERS_MONGO_PASSWORD` →
 * `users-mongo-password`.
 */
export function secretName(serviceName: string, key: string): string {
  return prefixedName(serviceName, key)
    .toLowerCase()
    .replace(/_/g, "-")
    .replace(/^-+|-+$/g, "");
}

function show(value: unknown): string {
  return JSON.stringify(value);
}

function isWholeIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** Every problem with the shared (environment) arguments, as `field: message` lines. */
export function environmentProblems(args: ContainerAppsEnvironmentArgs): string[] {
  const problems: string[] = [];
  const region = regionProblem(args.location);
  if (region !== undefined) problems.push(`location: ${region}, got ${show(args.location)}`);
  const group = args.resourceGroup.create ?? args.resourceGroup.existing;
  const groupField = args.resourceGroup.create !== undefined ? "create" : "existing";
  const groupProblem = resourceGroupNameProblem(group);
  if (groupProblem !== undefined) {
    problems.push(`resourceGroup.${groupField}: ${groupProblem}, got ${show(group)}`);
  }
  const choice = registryChoiceProblem(args.registry);
  if (choice !== undefined) problems.push(`registry: ${choice}`);
  else {
    const registry = args.registry.create ?? args.registry.existing;
    const registryField = args.registry.create !== undefined ? "create" : "existing";
    const registryProblem = registryNameProblem(registry);
    if (registryProblem !== undefined) {
      problems.push(`registry.${registryField}: ${registryProblem}, got ${show(registry)}`);
    }
  }
  if (args.registry.existing !== undefined && args.registry.resourceGroupName !== undefined) {
    const problem = resourceGroupNameProblem(args.registry.resourceGroupName);
    if (problem !== undefined) {
      problems.push(
        `registry.resourceGroupName: ${problem}, got ${show(args.registry.resourceGroupName)}`,
      );
    }
  }
  if (args.logRetentionDays !== undefined && !isWholeIn(args.logRetentionDays, 30, 730)) {
    problems.push(
      `logRetentionDays: must be a whole number of days from 30 to 730, got ${show(args.logRetentionDays)}`,
    );
  }
  return problems;
}

/** Every problem with one service, as `services.<name>.<field>: message` lines. */
export function serviceProblems(service: ContainerAppServiceArgs): string[] {
  const at = `services.${service.name}`;
  const problems: string[] = [];
  const add = (field: string, message: string) => problems.push(`${at}.${field}: ${message}`);

  const nameProblem = containerAppServiceNameProblem(service.name);
  if (nameProblem !== undefined) add("name", `${nameProblem}, got ${show(service.name)}`);
  const imageProblem = imageReferenceProblem(service.image);
  if (imageProblem !== undefined) add("image", `${imageProblem}, got ${show(service.image)}`);
  if (service.port !== undefined) {
    const problem = portProblem(service.port);
    if (problem !== undefined) add("port", `${problem}, got ${show(service.port)}`);
  }
  if (service.ingressPath !== undefined) {
    if (service.port === undefined) {
      add("ingressPath", "needs a port: only a service that listens on a port can be public");
    }
    const pathProblem = ingressPathProblem(service.ingressPath);
    if (pathProblem !== undefined) {
      add("ingressPath", `${pathProblem}, got ${show(service.ingressPath)}`);
    }
  }
  if (service.probes !== undefined) {
    if (service.port === undefined) {
      add("probes", "need a port: Container Apps probe over HTTP or TCP only");
    }
    if (!service.probes.path.startsWith("/")) {
      add("probes.path", `must start with "/" like "/health", got ${show(service.probes.path)}`);
    }
    const limits = [
      ["initialDelaySeconds", 0, 60],
      ["periodSeconds", 1, 240],
      ["failureThreshold", 1, 10],
    ] as const;
    for (const [field, min, max] of limits) {
      const value = service.probes[field];
      if (value !== undefined && !isWholeIn(value, min, max)) {
        add(`probes.${field}`, `must be a whole number from ${min} to ${max}, got ${show(value)}`);
      }
    }
  }

  const min = service.minReplicas ?? 1;
  const minProblem = minReplicasProblem(min, service.port !== undefined);
  if (minProblem !== undefined) {
    add("minReplicas", isWholeIn(min, 0, 300) ? minProblem : `${minProblem}, got ${show(min)}`);
  }
  if (service.maxReplicas !== undefined) {
    if (!isWholeIn(service.maxReplicas, 1, 300)) {
      add("maxReplicas", `must be a whole number from 1 to 300, got ${show(service.maxReplicas)}`);
    } else if (isWholeIn(min, 0, 300) && service.maxReplicas < min) {
      add("maxReplicas", `must be at least minReplicas (${min}), got ${show(service.maxReplicas)}`);
    }
  }
  if (service.concurrentRequests !== undefined) {
    if (!isWholeIn(service.concurrentRequests, 1, 10_000)) {
      add(
        "concurrentRequests",
        `must be a whole number from 1 to 10000, got ${show(service.concurrentRequests)}`,
      );
    } else if (service.port === undefined) {
      add("concurrentRequests", "needs a port: workers get no HTTP scale rule");
    }
  }
  const cpu = service.cpuCores ?? 0.5;
  if (!(cpu >= 0.25 && cpu <= 4 && Number.isInteger(cpu * 4))) {
    add("cpuCores", `must be 0.25 to 4 in steps of 0.25, got ${show(cpu)}`);
  } else if (service.memoryGiB !== undefined && service.memoryGiB !== cpu * 2) {
    add(
      "memoryGiB",
      `must be twice cpuCores on the consumption plan (${cpu} cores → ${cpu * 2} GiB), got ${show(service.memoryGiB)}`,
    );
  }

  const envKeys = Object.keys(service.env ?? {});
  const secretKeys = Object.keys(service.secretEnv ?? {});
  problems.push(
    ...prefixedEnvProblems(service.name, { env: envKeys, secretEnv: secretKeys }).map(
      (problem) => `${at}.${problem}`,
    ),
  );
  // Secret names are lowercase with "-" and lose a leading or trailing "-": TOKEN and TOKEN_ would
  // share one secret.
  for (const { key, message } of secretNameCollisions(service.name, secretKeys)) {
    add(`secretEnv.${key}`, message);
  }
  return problems;
}

/** Every problem with the custom domain, as `customDomain.<field>: message` lines. */
function customDomainProblems(args: ContainerAppsAppArgs): string[] {
  const domain = args.customDomain;
  if (domain === undefined) return [];
  const problems: string[] = [];
  // Public, as the site file's ingress.host: Azure issues managed certificates for public names only.
  const hostProblem = hostnameProblem(domain.host);
  if (hostProblem !== undefined) {
    problems.push(`customDomain.host: ${hostProblem}, got ${show(domain.host)}`);
  }
  const service = args.services.find((candidate) => candidate.name === domain.service);
  if (service === undefined) {
    problems.push(
      `customDomain.service: must be one of the services (${args.services.map((s) => s.name).join(", ")}), got ${show(domain.service)}`,
    );
  } else if (ingressKind(service) !== "external") {
    problems.push(
      `customDomain.service: must be a public service (a port and an ingressPath): a host name needs external ingress, and ${show(domain.service)} has none`,
    );
  }
  const bindingProblem = customDomainBindingProblem(domain.binding, true);
  if (bindingProblem !== undefined) {
    const got = domain.binding === undefined ? "" : `, got ${show(domain.binding)}`;
    problems.push(`customDomain.binding: ${bindingProblem}${got}`);
  }
  const recordType = domain.dnsRecordType ?? "CNAME";
  if (recordType !== "CNAME" && recordType !== "A") {
    problems.push(`customDomain.dnsRecordType: must be "CNAME" or "A", got ${show(recordType)}`);
  }
  return problems;
}

/**
 * Checks every argument of an app before anything is created and throws one error listing every
 * problem, each with its field path, the bad value and what is allowed.
 */
export function validateContainerAppsApp(appName: string, args: ContainerAppsAppArgs): void {
  const problems = environmentProblems(args);
  if (args.services.length === 0) problems.push("services: must list at least one service");
  if (args.privateRegistry !== undefined) {
    const serverProblem = privateRegistryServerProblem(args.privateRegistry.server);
    if (serverProblem !== undefined) {
      problems.push(
        `privateRegistry.server: ${serverProblem}, got ${show(args.privateRegistry.server)}`,
      );
    }
    const userProblem = nonBlankProblem(args.privateRegistry.username);
    if (userProblem !== undefined) problems.push(`privateRegistry.username: ${userProblem}`);
  }
  problems.push(...customDomainProblems(args));
  const seen = new Set<string>();
  for (const service of args.services) {
    if (seen.has(service.name)) {
      problems.push(`services.${service.name}: is listed twice; service names must be unique`);
      continue;
    }
    seen.add(service.name);
    problems.push(...serviceProblems(service));
  }
  if (problems.length > 0) {
    throw new Error(`ContainerAppsApp ${show(appName)}:\n  ${problems.join("\n  ")}`);
  }
}
