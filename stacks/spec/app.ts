import * as z from "zod";
import {
  isAzureRegistryHost,
  registryNameProblem,
  registrySkus,
  resourceGroupNameProblem,
} from "../../components/container-apps/names.js";
import { prefixedName } from "../../components/env-prefix.js";
import { imageRepositoryPattern } from "./box-site.js";
import { describeValue } from "./messages.js";
import { dnsLabel, envVarName, envVarNamePattern, hostname, port, replicas } from "./primitives.js";
import { asRecord, fieldRule, type Report } from "./rules.js";
import { secretRef } from "./secret-ref.js";

/** A full image reference with a tag or digest: `taller2fiuba/users:1.4.0`. */
const imageReference = z
  .string()
  .regex(
    new RegExp(
      `${imageRepositoryPattern.source.slice(0, -1)}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$`,
    ),
    {
      error: (issue) =>
        `must be an image reference with a tag like "taller2fiuba/users:1.4.0", got ${describeValue(issue.input)}`,
    },
  );

/** Non-secret environment values must be strings: YAML would turn `1.10` into 1.1 and `on` into text. */
const envValue = z.string({
  error: (issue) =>
    issue.input === undefined
      ? undefined
      : `must be a string (quote numbers and booleans: "8080", "true"), got ${describeValue(issue.input)}`,
});

/** One service of an app (seed 002: users, payment, …; seed 003: Chefcito's FastAPI services). */
export const appService = z
  .strictObject({
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
    path: z
      .string()
      .regex(/^\/[A-Za-z0-9._~\/-]*$/, {
        error: (issue) =>
          `must be an ingress path starting with "/" like "/users", got ${describeValue(issue.input)}`,
      })
      .optional()
      .meta({ description: "Ingress path routed to this service; needs port." }),
    replicas: replicas(0).default(1),
  })
  .superRefine(
    ...fieldRule((value, report) => {
      const service = asRecord(value);
      if (service.path !== undefined && service.port === undefined) {
        report(["path"], "needs port: a service without a port (a worker) gets no ingress route");
      }
      const plain = asRecord(service.env);
      for (const name of Object.keys(asRecord(service.secretEnv))) {
        if (Object.hasOwn(plain, name)) {
          report(["secretEnv", name], `is also set in env; a variable is either plain or secret`);
        }
      }
    }),
  );

/** A string checked by one of the components' shared naming rules. */
function namedBy(problemOf: (value: string) => string | undefined) {
  return z.string().superRefine((value, ctx) => {
    const problem = problemOf(value);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem, input: value });
  });
}

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
          name: namedBy(registryNameProblem).meta({
            description: 'Name of the registry, the part before ".azurecr.io".',
          }),
          resourceGroup: namedBy(resourceGroupNameProblem).meta({
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
          name: namedBy(registryNameProblem).meta({
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
      const registry = asRecord(value);
      if (registry.existing !== undefined && registry.create !== undefined) {
        report([], "must have either existing or create, not both: a registry is adopted or owned");
      } else if (registry.existing === undefined && registry.create === undefined) {
        report([], `must have existing or create: ${registryChoiceAdvice}`);
      }
    }),
  );

/** Settings of an app on Azure Container Apps (seed 003). */
export const azureSettings = z.strictObject({
  resourceGroup: z
    .string()
    .regex(/^[A-Za-z0-9._()-]{0,89}[A-Za-z0-9_()-]$/, {
      error: (issue) => `must be an Azure resource group name, got ${describeValue(issue.input)}`,
    })
    .meta({ description: "Resource group the Container Apps environment lives in." }),
  location: z
    .string()
    .regex(/^[a-z0-9]+$/, {
      error: (issue) =>
        `must be an Azure region name like "eastus2", got ${describeValue(issue.input)}`,
    })
    .meta({ description: 'Azure region, e.g. "eastus2".' }),
  registry: azureRegistry.meta({
    description:
      "The Azure Container Registry the services pull from through a managed identity (no password): existing or create.",
  }),
  hostBinding: z.enum(["none", "hostname", "certificate"]).optional().meta({
    description:
      'How far spec.ingress.host is bound, one up per step: "none" (create the DNS records of the output customDomainRecords), "hostname" (host added, managed certificate requested), "certificate" (host served with it). Required with spec.ingress.host.',
  }),
});

const hostBindingSteps =
  '"none" until the DNS records of the stack output customDomainRecords exist, then "hostname" (adds the host to the app and requests the managed certificate), then "certificate" (serves the host with it), one up each';

/**
 * A private registry images are pulled from with a user name and password: any registry on
 * Kubernetes; on Azure Container Apps only one outside Azure (an `*.azurecr.io` registry there is
 * `azure.registry`, pulled through a managed identity).
 */
export const imageRegistry = z.strictObject({
  server: hostname.meta({ description: 'Registry host, e.g. "ghcr.io".' }),
  username: z.string().min(1),
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

  const routed = services.filter(([, service]) => asRecord(service).path !== undefined);
  if (routed.length > 0 && app.ingress === undefined) {
    report(["ingress"], `is required because service "${routed[0]![0]}" has a path`);
  }
  if (app.ingress !== undefined && routed.length === 0) {
    report(["ingress"], "is set but no service has a path to route to it");
  }
  const owners = new Map<unknown, string>();
  for (const [name, service] of routed) {
    const path = asRecord(service).path;
    const owner = owners.get(path);
    if (owner !== undefined) {
      report(
        ["services", name, "path"],
        `${JSON.stringify(path)} is already routed to service "${owner}"`,
      );
    } else owners.set(path, name);
  }

  if (app.target === "azure-container-apps" && app.azure === undefined) {
    report(["azure"], "is required when target is azure-container-apps (resourceGroup, location)");
  }
  if (app.target === "kubernetes" && app.azure !== undefined) {
    report(["azure"], "is only allowed when target is azure-container-apps");
  }
  if (app.target === "azure-container-apps" && app.azure !== undefined) {
    checkAzureHost(app, routed, report);
  }
  const server = asRecord(app.registry).server;
  if (
    app.target === "azure-container-apps" &&
    typeof server === "string" &&
    isAzureRegistryHost(server)
  ) {
    report(
      ["registry", "server"],
      `is an Azure Container Registry, which this target pulls through a managed identity, without a password: name it in azure.registry (existing: {name, resourceGroup} or create: {name}) instead; registry is for registries outside Azure`,
    );
  }
}

/**
 * On Azure Container Apps every app has its own host name and there is no shared path router, so
 * `ingress.host` can be bound to one Container App only: one public service, and an explicit
 * binding step (Azure binds a new host in steps).
 */
function checkAzureHost(
  app: Record<string, unknown>,
  routed: [string, unknown][],
  report: Report,
): void {
  const [first, ...others] = routed;
  for (const [name] of others) {
    report(
      ["services", name, "path"],
      `on azure-container-apps only one service can have a path: spec.ingress.host is bound to one Container App and there is no shared path router; service "${first![0]}" has one, so give this service a port only (the others reach it as http://${name})`,
    );
  }
  const binding = asRecord(app.azure).hostBinding;
  if (app.ingress !== undefined && binding === undefined) {
    report(
      ["azure", "hostBinding"],
      `is required because spec.ingress.host is set: ${hostBindingSteps}`,
    );
  }
  if (app.ingress === undefined && binding !== undefined) {
    report(["azure", "hostBinding"], "is only allowed with spec.ingress.host");
  }
}

/**
 * Every variable of a service ends up as `<SERVICE>_<NAME>` (the rule lives in
 * components/env-prefix.ts, shared with the renderers); two that end up the same, such as
 * `MONGO_USER` and `USERS_MONGO_USER` of service `users`, would silently overwrite each other.
 */
function checkPrefixedNames(services: [string, unknown][], report: Report): void {
  for (const [serviceName, service] of services) {
    const seen = new Map<string, string>();
    for (const field of ["env", "secretEnv"] as const) {
      for (const name of Object.keys(asRecord(asRecord(service)[field]))) {
        // Bad names get their own problem from the schema; the prefix rule only applies to good ones.
        if (!envVarNamePattern.test(name)) continue;
        const final = prefixedName(serviceName, name);
        const first = seen.get(final);
        if (first === undefined) seen.set(final, `${field}.${name}`);
        // The same name in env and secretEnv has its own, clearer problem.
        else if (first !== `env.${name}`) {
          report(
            ["services", serviceName, field, name],
            `becomes ${final}, which ${first} of this service also becomes`,
          );
        }
      }
    }
  }
}
