import type * as pulumi from "@pulumi/pulumi";
import {
  ContainerAppsApp,
  type ContainerAppsAppArgs,
  type ContainerAppsCustomDomain,
  type CustomDomainRecord,
  type ContainerAppServiceArgs,
  type PrivateRegistryCredentials,
  type RegistryChoice,
} from "../../components/container-apps/index.js";
import { nakedDomainProblem } from "../spec/domains.js";
import type { AppSpec } from "../spec/site.js";
import type { ProgramContext } from "./context.js";

/** Stack outputs of an app on Azure Container Apps. */
export interface AppAzureOutputs {
  /** Host name of each service with a port, by service name. */
  readonly fqdns: Record<string, pulumi.Output<string>>;
  /** `https://<fqdn><path>` of each service with a path. */
  readonly urls: Record<string, pulumi.Output<string>>;
  /** Where CI pushes images (`az acr login --name <registry>` then `docker push`). */
  readonly registryLoginServer: pulumi.Output<string>;
  /** Resource group of the app. */
  readonly resourceGroupName: pulumi.Output<string>;
  /** The DNS records `spec.ingress.host` needs (TXT `asuid.<host>`, CNAME or A), when it is set. */
  readonly customDomainRecords?: pulumi.Output<CustomDomainRecord[]>;
}

/**
 * The registry of the app and, separately, credentials for a registry outside Azure.
 *
 * `azure.registry` names the app's own Azure Container Registry, adopted (`existing`: looked up,
 * never created or deleted) or owned (`create`); either way the apps pull from it through a
 * managed identity, so no password is involved (seed 003's access keys are what this replaces).
 * `registry` (user name and password) is for a registry outside Azure; the schema refuses an
 * `*.azurecr.io` server there on this target.
 */
export function registryOf(
  spec: AppSpec,
  context: ProgramContext,
): { registry: RegistryChoice; privateRegistry?: PrivateRegistryCredentials } {
  const { existing, create } = azureSettingsOf(spec).registry;
  let registry: RegistryChoice;
  if (existing !== undefined && create === undefined) {
    registry = { existing: existing.name, resourceGroupName: existing.resourceGroup };
  } else if (create !== undefined && existing === undefined) {
    registry = { create: create.name, sku: create.sku };
  } else {
    // The schema refuses both and neither; this guards a caller that skipped it.
    throw new Error(
      `App ${JSON.stringify(spec.metadata.name)}: spec.azure.registry must have exactly one of existing or create`,
    );
  }
  const outside = spec.spec.registry;
  if (outside === undefined) return { registry };
  return {
    registry,
    privateRegistry: {
      server: outside.server,
      username: outside.username,
      password: context.secret(outside.password.secret),
    },
  };
}

/** The `azure` settings of an Azure App; the schema guarantees them, this guards a caller that skipped it. */
function azureSettingsOf(spec: AppSpec): NonNullable<AppSpec["spec"]["azure"]> {
  const azure = spec.spec.azure;
  if (spec.spec.target !== "azure-container-apps" || azure === undefined) {
    throw new Error(
      `App ${JSON.stringify(spec.metadata.name)}: spec.azure (resourceGroup, location, registry) is required for target azure-container-apps`,
    );
  }
  return azure;
}

/**
 * `spec.ingress.host` as a custom domain of the one public service (the schema allows one on this
 * target), at the step `azure.hostBinding` names. A zone apex (`chefcito.com.ar`) cannot hold a
 * CNAME, so it is pointed at the environment with an A record instead.
 */
export function customDomainOf(spec: AppSpec): ContainerAppsCustomDomain | undefined {
  const host = spec.spec.ingress?.host;
  if (host === undefined) return undefined;
  const binding = azureSettingsOf(spec).hostBinding;
  const routed = Object.entries(spec.spec.services).filter(([, s]) => s.path !== undefined);
  if (binding === undefined || routed.length !== 1) {
    // The schema refuses both; this guards a caller that skipped it.
    throw new Error(
      `App ${JSON.stringify(spec.metadata.name)}: spec.ingress.host on azure-container-apps needs spec.azure.hostBinding and exactly one service with a path`,
    );
  }
  return {
    host,
    service: routed[0]![0],
    binding,
    dnsRecordType: nakedDomainProblem(host) === undefined ? "A" : "CNAME",
  };
}

/** Maps a parsed `kind: App` file with `target: azure-container-apps` to component arguments. */
export function appAzureArgs(spec: AppSpec, context: ProgramContext): ContainerAppsAppArgs {
  const name = spec.metadata.name;
  const azure = azureSettingsOf(spec);
  const customDomain = customDomainOf(spec);
  const services: ContainerAppServiceArgs[] = Object.entries(spec.spec.services).map(
    ([serviceName, service]) => ({
      name: serviceName,
      image: service.image,
      port: service.port,
      ingressPath: service.path,
      env: service.env,
      secretEnv: Object.fromEntries(
        Object.entries(service.secretEnv).map(([key, ref]) => [key, context.secret(ref.secret)]),
      ),
      minReplicas: service.replicas,
    }),
  );
  return {
    location: azure.location,
    // The file names one group per app; the stack owns it (spec has no "adopt existing" form yet).
    resourceGroup: { create: azure.resourceGroup },
    ...registryOf(spec, context),
    // Label keys may hold "/", which Azure tag names refuse; the stack and site name are enough
    // to find every resource of a site (az resource list --tag sitestack-site=<name>).
    tags: { "sitestack-site": name, "sitestack-stack": context.stackName },
    services,
    ...(customDomain === undefined ? {} : { customDomain }),
    // Archive changes nothing but this flag, so restore (the last applied spec, active again)
    // maps to exactly the arguments the app had before.
    archived: context.lifecycle === "archived",
  };
}

/**
 * The program body of an App on Azure Container Apps: declares the {@link ContainerAppsApp} and
 * returns the stack outputs. The lead's dispatcher wraps it in a `PulumiFn`. Archived (stack
 * lifecycle `archived`), every Container App is at zero replicas without ingress; the
 * environment, registry, logs, identity and certificate stay.
 */
export function appAzureProgram(spec: AppSpec, context: ProgramContext): AppAzureOutputs {
  const app = new ContainerAppsApp(spec.metadata.name, appAzureArgs(spec, context));
  return {
    fqdns: app.fqdns,
    urls: app.urls,
    registryLoginServer: app.registryLoginServer,
    resourceGroupName: app.resourceGroupName,
    ...(app.customDomainRecords === undefined
      ? {}
      : { customDomainRecords: app.customDomainRecords }),
  };
}
