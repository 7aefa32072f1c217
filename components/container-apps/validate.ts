import { prefixedEnvProblems, prefixedName } from "../env-prefix.js";
import { imageReferenceProblem, registryServerProblem } from "../images.js";
import { ingressPathProblem } from "../kubernetes/routing.js";
import { dnsLabelProblem, nonBlankProblem, portProblem } from "../value-rules.js";
import type {
  ContainerAppServiceArgs,
  ContainerAppsAppArgs,
  ContainerAppsEnvironmentArgs,
} from "./args.js";

const regionPattern = /^[a-z][a-z0-9]*$/;
// Azure: 1-90 letters, digits, "_", "-", ".", "(" and ")", not ending with ".".
const resourceGroupPattern = /^[A-Za-z0-9_().-]{0,89}[A-Za-z0-9_()-]$/;
const registryNamePattern = /^[A-Za-z0-9]{5,50}$/;
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

/** Host suffix of Azure Container Registry login servers (public cloud). */
export const acrHostSuffix = ".azurecr.io";

/**
 * The registry name in an Azure Container Registry login server (`chefcitoprod.azurecr.io` →
 * `chefcitoprod`), or `undefined` for any other server.
 */
export function acrNameOfServer(server: string): string | undefined {
  return server.endsWith(acrHostSuffix) ? server.slice(0, -acrHostSuffix.length) : undefined;
}

/**
 * Why `server` cannot be the registry of an app on Container Apps, or `undefined`: a registry
 * host, and for an Azure Container Registry (`<name>.azurecr.io`, which the app then owns) a
 * valid registry name.
 */
export function appRegistryServerProblem(server: string): string | undefined {
  const host = registryServerProblem(server);
  if (host !== undefined) return host;
  const acrName = acrNameOfServer(server);
  if (acrName !== undefined && registryNameProblem(acrName) !== undefined) {
    return `must name an Azure Container Registry of 5 to 50 letters and digits like "chefcitoprod${acrHostSuffix}"`;
  }
  return undefined;
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
  const registry = args.registry.create ?? args.registry.existing;
  const registryField = args.registry.create !== undefined ? "create" : "existing";
  const registryProblem = registryNameProblem(registry);
  if (registryProblem !== undefined) {
    problems.push(`registry.${registryField}: ${registryProblem}, got ${show(registry)}`);
  }
  if (
    args.registry.existing !== undefined &&
    args.registry.resourceGroupName !== undefined &&
    resourceGroupNameProblem(args.registry.resourceGroupName) !== undefined
  ) {
    problems.push(
      `registry.resourceGroupName: ${resourceGroupNameProblem(args.registry.resourceGroupName)}, got ${show(args.registry.resourceGroupName)}`,
    );
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

/**
 * Checks every argument of an app before anything is created and throws one error listing every
 * problem, each with its field path, the bad value and what is allowed.
 */
export function validateContainerAppsApp(appName: string, args: ContainerAppsAppArgs): void {
  const problems = environmentProblems(args);
  if (args.services.length === 0) problems.push("services: must list at least one service");
  if (args.privateRegistry !== undefined) {
    const serverProblem = registryServerProblem(args.privateRegistry.server);
    if (serverProblem !== undefined) {
      problems.push(
        `privateRegistry.server: ${serverProblem}, got ${show(args.privateRegistry.server)}`,
      );
    }
    const userProblem = nonBlankProblem(args.privateRegistry.username);
    if (userProblem !== undefined) problems.push(`privateRegistry.username: ${userProblem}`);
  }
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
