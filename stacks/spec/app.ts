import * as z from "zod";
import { routingProblems } from "../../components/app/resolve.js";
import {
  appRegistryServerProblem,
  containerAppServiceNameProblem,
  minReplicasProblem,
  regionProblem,
  resourceGroupNameProblem,
  secretNameCollisions,
} from "../../components/container-apps/validate.js";
import { envKeyProblem, prefixedEnvProblemList } from "../../components/env-prefix.js";
import { imageReferenceProblem, registryServerProblem } from "../../components/images.js";
import { ingressPathProblem } from "../../components/kubernetes/routing.js";
import { listenPortProblem } from "../../components/kubernetes/security.js";
import { dnsLabelProblem, nonBlankProblem, portProblem } from "../../components/value-rules.js";
import { describeValue } from "./messages.js";
import { dnsLabel, envVarName, hostname, port, replicas, ruledString } from "./primitives.js";
import { asRecord, fieldRule, type Report } from "./rules.js";
import { secretRef } from "./secret-ref.js";

// Every field the App components (Kubernetes and Container Apps) check is checked here with their
// own functions (one rule per fact), so an app `validate` accepts is one `up` renders on its target.

/** A full image reference with a tag or digest: `taller2fiuba/users:1.4.0`. */
const imageReference = ruledString(imageReferenceProblem);

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
    .meta({ pattern: "^/[A-Za-z0-9._~/-]*$" })
    .optional()
    .meta({ description: "Ingress path routed to this service; needs port." }),
  replicas: replicas(0).default(1),
});

/** Settings of an app on Azure Container Apps (seed 003). */
export const azureSettings = z.strictObject({
  resourceGroup: ruledString(resourceGroupNameProblem).meta({
    pattern: "^[A-Za-z0-9_().-]{0,89}[A-Za-z0-9_()-]$",
    description: "Resource group the Container Apps environment lives in.",
  }),
  location: ruledString(regionProblem).meta({
    pattern: "^[a-z][a-z0-9]*$",
    description: 'Azure region, e.g. "eastus2".',
  }),
});

/** A private registry images are pulled from (seed 003: Azure Container Registry). */
export const imageRegistry = z.strictObject({
  server: ruledString(registryServerProblem).meta({
    description:
      'Registry host, e.g. "chefcito.azurecr.io" (an Azure Container Registry the app then owns) or "ghcr.io".',
  }),
  username: ruledString(nonBlankProblem).meta({ minLength: 1 }),
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
      .meta({ description: "Services by name (lowercase DNS labels)." }),
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
    report(["azure"], "is required when target is azure-container-apps (resourceGroup, location)");
  }
  if (app.target === "kubernetes" && app.azure !== undefined) {
    report(["azure"], "is only allowed when target is azure-container-apps");
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
    const problem = appRegistryServerProblem(server);
    if (problem !== undefined) {
      report(["registry", "server"], `${problem}, got ${describeValue(server)}`);
    }
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
