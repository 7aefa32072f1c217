import { hostnameProblem } from "../dns-record/names.js";
import { prefixedEnvProblems } from "../env-prefix.js";
import type {
  ContainerAppServiceArgs,
  ContainerAppsAppArgs,
  ContainerAppsEnvironmentArgs,
} from "./args.js";
import { registryNameProblem, resourceGroupNameProblem } from "./names.js";
import { secretName } from "./render.js";
import { ingressKind } from "./service-defaults.js";

const regionPattern = /^[a-z][a-z0-9]*$/;
const registryHostPattern =
  /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$/;
const serviceNamePattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
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

function show(value: unknown): string {
  return JSON.stringify(value);
}

function isWholeIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** Every problem with the shared (environment) arguments, as `field: message` lines. */
export function environmentProblems(args: ContainerAppsEnvironmentArgs): string[] {
  const problems: string[] = [];
  if (!regionPattern.test(args.location)) {
    problems.push(
      `location: must be an Azure region name like "westeurope" or "eastus2", got ${show(args.location)}`,
    );
  }
  const group = args.resourceGroup.create ?? args.resourceGroup.existing;
  const groupField = args.resourceGroup.create !== undefined ? "create" : "existing";
  const groupProblem = resourceGroupNameProblem(group);
  if (groupProblem !== undefined) problems.push(`resourceGroup.${groupField}: ${groupProblem}`);
  const registry = args.registry.create ?? args.registry.existing;
  const registryField = args.registry.create !== undefined ? "create" : "existing";
  const registryProblem = registryNameProblem(registry);
  if (registryProblem !== undefined) problems.push(`registry.${registryField}: ${registryProblem}`);
  if (args.registry.existing !== undefined && args.registry.resourceGroupName !== undefined) {
    const problem = resourceGroupNameProblem(args.registry.resourceGroupName);
    if (problem !== undefined) problems.push(`registry.resourceGroupName: ${problem}`);
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

  if (!serviceNamePattern.test(service.name)) {
    add(
      "name",
      `must be a lowercase DNS label (letters a-z, digits and inner hyphens) like "users", got ${show(service.name)}`,
    );
  } else {
    const appResourceName = containerAppName(service.name);
    if (!containerAppNamePattern.test(appResourceName)) {
      add(
        "name",
        `is also the Container App name, and Azure allows 2 to 32 lowercase letters, digits and single "-", starting with a letter, got ${show(appResourceName)}`,
      );
    }
  }
  if (service.image.trim() === "" || /\s/.test(service.image)) {
    add(
      "image",
      `must be an image like "users:1.4.0" or "mcr.microsoft.com/x/y:1", got ${show(service.image)}`,
    );
  }
  if (service.port !== undefined && !isWholeIn(service.port, 1, 65535)) {
    add("port", `must be a port from 1 to 65535, got ${show(service.port)}`);
  }
  if (service.ingressPath !== undefined) {
    if (service.port === undefined) {
      add("ingressPath", "needs a port: only a service that listens on a port can be public");
    }
    if (!service.ingressPath.startsWith("/")) {
      add("ingressPath", `must start with "/" like "/users", got ${show(service.ingressPath)}`);
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
  if (!isWholeIn(min, 0, 300)) {
    add("minReplicas", `must be a whole number from 0 to 300, got ${show(min)}`);
  } else if (min === 0 && service.port === undefined) {
    add(
      "minReplicas",
      "must be at least 1 for a worker (no port): with no HTTP traffic nothing would ever start it",
    );
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
  // Secret names are lowercase, so keys that differ only in case would share one secret.
  const keyOfSecret = new Map<string, string>();
  for (const key of secretKeys) {
    let name: string;
    try {
      name = secretName(service.name, key);
    } catch {
      continue; // already reported by the prefix rule
    }
    const earlier = keyOfSecret.get(name);
    if (earlier === undefined) keyOfSecret.set(name, key);
    else {
      add(
        `secretEnv.${key}`,
        `becomes the Container App secret ${show(name)}, like secretEnv.${earlier}; rename one of them`,
      );
    }
  }
  return problems;
}

/** Every problem with the custom domain, as `customDomain.<field>: message` lines. */
function customDomainProblems(args: ContainerAppsAppArgs): string[] {
  const domain = args.customDomain;
  if (domain === undefined) return [];
  const problems: string[] = [];
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
  if (!["none", "hostname", "certificate"].includes(domain.binding)) {
    problems.push(
      `customDomain.binding: must be "none", "hostname" or "certificate", got ${show(domain.binding)}`,
    );
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
    if (!registryHostPattern.test(args.privateRegistry.server)) {
      problems.push(
        `privateRegistry.server: must be a registry host like "docker.io" or "ghcr.io", got ${show(args.privateRegistry.server)}`,
      );
    }
    if (args.privateRegistry.username.trim() === "") {
      problems.push("privateRegistry.username: must not be empty");
    }
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
