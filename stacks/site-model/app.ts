import * as z from "zod";
import { readinessTimeoutField } from "./readiness.js";
import { routingProblems } from "../../components/app/resolve.js";
import {
  containerAppServiceNameProblem,
  customDomainBindingProblem,
  customDomainBindings,
  customDomainRoutingProblems,
  minReplicasProblem,
  privateRegistryServerProblem,
  regionPattern,
  regionProblem,
  registryChoiceProblem,
  registryNamePattern,
  registryNameProblem,
  registrySkus,
  resourceGroupNameProblem,
  resourceGroupPattern,
  secretNameCollisions,
} from "../../components/container-apps/validate.js";
import { envKeyProblem, prefixedEnvProblemList } from "../../components/env-prefix.js";
import {
  imageReferencePattern,
  imageReferenceProblem,
  registryHostPattern,
  registryServerProblem,
} from "../../components/images.js";
import { ingressPathPattern, ingressPathProblem } from "../../components/kubernetes/routing.js";
import { listenPortProblem } from "../../components/kubernetes/security.js";
import { dnsLabelProblem, portProblem } from "../../components/value-rules.js";
import { describeValue } from "./messages.js";
import {
  clusterName,
  dnsLabel,
  envVarName,
  hostname,
  nonBlank,
  port,
  replicas,
  ruledString,
} from "./primitives.js";
import { asRecord, fieldRule, type Report } from "./rules.js";
import { secretRef } from "./secret-ref.js";

// Every field the App components (Kubernetes and Container Apps) check is checked here with their
// own functions (one rule per fact), so an app `validate` accepts is one `up` renders on its target.

/** A full image reference with a tag or digest: `taller2fiuba/users:1.4.0`. */
const imageReference = ruledString(imageReferenceProblem).meta({
  pattern: imageReferencePattern.source,
});

/** Non-secret environment values must be strings: YAML would turn `1.10` into 1.1 and `on` into text. */
const envValue = z.string({
  error: (issue) =>
    issue.input === undefined
      ? undefined
      : `must be a string (quote numbers and booleans: "8080", "true"), got ${describeValue(issue.input)}`,
});

/** One service of an app (seed 002: users, payment, …; seed 003: Chefcito's FastAPI services). */
export const appService = z.strictObject({
  image: imageReference.meta({ description: "Container image with tag." }),
  port: port
    .optional()
    .meta({ description: "Port the service listens on; absent for workers such as a consumer." }),
  env: z
    .record(envVarName, envValue)
    .default({})
    .meta({ description: "Plain environment variables; the service prefix is added." }),
  secretEnv: z.record(envVarName, secretRef).default({}).meta({
    description: "Secret environment variables (secret references); prefixed like env.",
  }),
  path: ruledString(ingressPathProblem)
    .meta({ pattern: ingressPathPattern.source })
    .optional()
    .meta({ description: "Ingress path routed to this service; needs port." }),
  replicas: replicas(0).default(1),
});

const registryChoiceAdvice =
  "adopt a registry that exists with existing: {name, resourceGroup}, or let the stack create and own one with create: {name}";

/**
 * The Azure Container Registry of an app: one that already exists (adopted: read, never created,
 * changed or deleted) or one the stack creates, each in its own field (never one field for both).
 */
export const azureRegistry = z
  .strictObject(
    {
      existing: z
        .strictObject({
          name: ruledString(registryNameProblem).meta({
            pattern: registryNamePattern.source,
            description: 'Name of the registry, the part before ".azurecr.io".',
          }),
          resourceGroup: ruledString(resourceGroupNameProblem).meta({
            pattern: resourceGroupPattern.source,
            description: "Resource group the registry is in.",
          }),
        })
        .optional()
        .meta({
          description:
            "Adopt a registry that already exists: the stack looks it up and lets the apps' identity pull from it (AcrPull); it never creates, changes or deletes it.",
        }),
      create: z
        .strictObject({
          name: ruledString(registryNameProblem).meta({
            pattern: registryNamePattern.source,
            description:
              "Name of the new registry, globally unique across Azure (it becomes <name>.azurecr.io).",
          }),
          sku: z
            .enum(registrySkus)
            .default("Basic")
            .meta({ description: "Service tier: Basic, Standard or Premium." }),
        })
        .optional()
        .meta({
          description:
            "A registry the stack creates and owns (admin user disabled); destroy deletes it with its images.",
        }),
    },
    {
      error: (issue) =>
        issue.input === undefined ? `is required: ${registryChoiceAdvice}` : undefined,
    },
  )
  .superRefine(
    ...fieldRule((value, report) => {
      // A missing or mistyped registry already has its own problem.
      if (typeof value !== "object" || value === null) return;
      const problem = registryChoiceProblem(asRecord(value));
      if (problem !== undefined) report([], problem);
    }),
  );

/** How far `spec.ingress.host` is bound on Azure: the component's steps, by its rule. */
const hostBinding = z.enum(customDomainBindings, {
  error: (issue) =>
    `${customDomainBindingProblem(String(issue.input), true) ?? 'must be "none", "hostname" or "certificate"'}, got ${describeValue(issue.input)}`,
});

/** Settings of an app on Azure Container Apps (seed 003). */
export const azureSettings = z.strictObject({
  resourceGroup: ruledString(resourceGroupNameProblem).meta({
    pattern: resourceGroupPattern.source,
    description: "Resource group the Container Apps environment lives in.",
  }),
  location: ruledString(regionProblem).meta({
    pattern: regionPattern.source,
    description: 'Azure region, e.g. "eastus2".',
  }),
  registry: azureRegistry.meta({
    description:
      "The Azure Container Registry the services pull from through a managed identity (no password): existing or create.",
  }),
  hostBinding: hostBinding.optional().meta({
    description:
      'How far spec.ingress.host is bound, one up per step: "none" (create the DNS records of the output customDomainRecords), "hostname" (host added, managed certificate requested), "certificate" (host served with it). Required with spec.ingress.host.',
  }),
});

/**
 * A private registry images are pulled from with a user name and password: any registry on
 * Kubernetes; on Azure Container Apps only one outside Azure (an `*.azurecr.io` registry there is
 * `azure.registry`, pulled through a managed identity).
 */
export const imageRegistry = z.strictObject({
  server: ruledString(registryServerProblem).meta({
    pattern: registryHostPattern.source,
    description:
      'Registry host, e.g. "ghcr.io"; on azure-container-apps not an Azure Container Registry (that is azure.registry).',
  }),
  username: nonBlank,
  password: secretRef,
});

/** `spec` of a `kind: App` file: a set of services behind one ingress. */
export const appBody = z
  .strictObject({
    target: z
      .enum(["kubernetes", "azure-container-apps"])
      .meta({ description: "Where the app runs." }),
    services: z
      .record(dnsLabel, appService)
      .refine((services) => Object.keys(services).length > 0, {
        error: "must have at least one service",
      })
      .meta({ minProperties: 1, description: "Services by name (lowercase DNS labels)." }),
    ingress: z
      .strictObject({ host: hostname })
      .optional()
      .meta({ description: "Public host; services with a path are routed under it." }),
    registry: imageRegistry
      .optional()
      .meta({ description: "Private registry credentials for pulling the images." }),
    azure: azureSettings
      .optional()
      .meta({ description: "Required when target is azure-container-apps." }),
    cluster: clusterName,
    readinessTimeout: readinessTimeoutField("App"),
  })
  .superRefine(...fieldRule((value, report) => checkApp(asRecord(value), report)));

function checkApp(app: Record<string, unknown>, report: Report): void {
  const services = Object.entries(asRecord(app.services));
  checkPrefixedNames(services, report);

  const routes = services.map(([name, value]) => {
    const { port, path } = asRecord(value);
    // A path of the wrong type has its own problem; it still counts as a path here.
    return { name, port, path: path === undefined ? undefined : String(path) };
  });
  for (const problem of routingProblems(routes, app.ingress !== undefined)) {
    if (problem.service === undefined) report(["ingress"], problem.message);
    else {
      report(
        ["services", problem.service, "path"],
        `${problem.message}, got ${describeValue(problem.path)}`,
      );
    }
  }

  if (app.target === "azure-container-apps" && app.azure === undefined) {
    report(
      ["azure"],
      "is required when target is azure-container-apps (resourceGroup, location, registry)",
    );
  }
  if (app.target === "kubernetes" && app.azure !== undefined) {
    report(["azure"], "is only allowed when target is azure-container-apps");
  }
  if (app.target === "azure-container-apps" && app.cluster !== undefined) {
    report(["cluster"], "is only allowed when target is kubernetes");
  }
  if (app.target === "kubernetes") checkKubernetes(services, report);
  if (app.target === "azure-container-apps") checkContainerApps(app, services, report);
}

/** What only the Kubernetes target refuses: services run as a non-root user. */
function checkKubernetes(services: [string, unknown][], report: Report): void {
  for (const [name, service] of services) {
    const servicePort = asRecord(service).port;
    // A port that is not a port has its own problem already.
    if (typeof servicePort !== "number" || portProblem(servicePort) !== undefined) continue;
    const problem = listenPortProblem(servicePort, "restricted");
    if (problem !== undefined) {
      report(["services", name, "port"], `${problem}, got ${describeValue(servicePort)}`);
    }
  }
}

/** What only the Container Apps target refuses (service names, workers at zero, registries). */
function checkContainerApps(
  app: Record<string, unknown>,
  services: [string, unknown][],
  report: Report,
): void {
  for (const [name, value] of services) {
    const service = asRecord(value);
    // A name that is no DNS label has its own problem already.
    const goodName = dnsLabelProblem(name) === undefined;
    const nameProblem = goodName ? containerAppServiceNameProblem(name) : undefined;
    if (nameProblem !== undefined) {
      report(["services", name], `${nameProblem}, got ${describeValue(name)}`);
    }
    const count = service.replicas ?? 1;
    if (typeof count === "number" && Number.isInteger(count) && count >= 0 && count <= 100) {
      const problem = minReplicasProblem(count, service.port !== undefined);
      if (problem !== undefined) report(["services", name, "replicas"], problem);
    }
    const secretKeys = Object.keys(asRecord(service.secretEnv)).filter(
      (key) => envKeyProblem(key) === undefined,
    );
    if (goodName) {
      for (const { key, message } of secretNameCollisions(name, secretKeys)) {
        report(["services", name, "secretEnv", key], message);
      }
    }
  }
  const server = asRecord(app.registry).server;
  if (typeof server === "string" && registryServerProblem(server) === undefined) {
    const problem = privateRegistryServerProblem(server);
    if (problem !== undefined) {
      report(["registry", "server"], `${problem}, got ${describeValue(server)}`);
    }
  }
  if (app.azure !== undefined) checkAzureHost(app, services, report);
}

/**
 * On Azure Container Apps every app has its own host name and there is no shared path router, so
 * `ingress.host` is bound to one Container App only, at an explicit binding step (Azure binds a
 * new host in steps); both by the component's rules.
 */
function checkAzureHost(
  app: Record<string, unknown>,
  services: [string, unknown][],
  report: Report,
): void {
  const routed = services
    .filter(([, service]) => asRecord(service).path !== undefined)
    .map(([name]) => name);
  for (const { service, message } of customDomainRoutingProblems(routed)) {
    report(["services", service, "path"], message);
  }
  const binding = asRecord(app.azure).hostBinding;
  const hasHost = app.ingress !== undefined;
  // A binding that is no step has its own problem already.
  if (binding === undefined || !hasHost) {
    const problem = customDomainBindingProblem(binding as string | undefined, hasHost);
    if (problem !== undefined) report(["azure", "hostBinding"], problem);
  }
}

/**
 * Every variable of a service ends up as `<SERVICE>_<NAME>`, by the rule of
 * components/env-prefix.ts, which is asked here: two that end up the same, such as `MONGO_USER` and
 * `USERS_MONGO_USER` of service `users`, or one name in env and in secretEnv, would silently
 * overwrite each other.
 */
function checkPrefixedNames(services: [string, unknown][], report: Report): void {
  for (const [serviceName, service] of services) {
    // A service name that is no DNS label has its own problem; its prefix means nothing yet.
    if (dnsLabelProblem(serviceName) !== undefined) continue;
    const keysBySource = Object.fromEntries(
      (["env", "secretEnv"] as const).map((field) => [
        field,
        // Bad names get their own problem from the schema; the prefix rule only applies to good ones.
        Object.keys(asRecord(asRecord(service)[field])).filter(
          (key) => envKeyProblem(key) === undefined,
        ),
      ]),
    );
    for (const problem of prefixedEnvProblemList(serviceName, keysBySource)) {
      report(["services", serviceName, problem.source, problem.key], problem.message);
    }
  }
}
