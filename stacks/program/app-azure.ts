import type * as pulumi from "@pulumi/pulumi";
import {
  acrNameOfServer,
  appRegistryServerProblem,
  ContainerAppsApp,
  type ContainerAppsAppArgs,
  type ContainerAppServiceArgs,
  type PrivateRegistryCredentials,
  type RegistryChoice,
} from "../../components/container-apps/index.js";
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
}

/**
 * The registry name used when the site file names none: the site name's letters and digits
 * (`chefcito-staging` → `chefcitostaging`), padded to Azure's minimum of 5. Registry names are
 * global across Azure, so a taken name fails at `up`; naming the registry in `spec.registry`
 * avoids that.
 */
export function defaultRegistryName(siteName: string): string {
  const stem = siteName.replace(/[^a-z0-9]/g, "");
  return (stem.length >= 5 ? stem : `${stem}acr00`).slice(0, 50);
}

/**
 * The registry of the app and, separately, credentials for a registry outside Azure.
 *
 * An `*.azurecr.io` server in `spec.registry` names the app's own registry: the stack creates it
 * with the admin user disabled and pulls through a managed identity, so the user name and
 * password of the file are not used (seed 003's access keys are exactly what this replaces). Any
 * other server is a private registry pulled with its user name and password. The server must pass
 * the rule the schema checks it with (the Container App component only sees the registry name).
 */
export function registryOf(
  spec: AppSpec,
  context: ProgramContext,
): { registry: RegistryChoice; privateRegistry?: PrivateRegistryCredentials } {
  const named = spec.spec.registry;
  const serverProblem = named === undefined ? undefined : appRegistryServerProblem(named.server);
  if (serverProblem !== undefined) {
    throw new Error(
      `App ${JSON.stringify(spec.metadata.name)}: registry.server ${serverProblem}, got ${JSON.stringify(named?.server)}`,
    );
  }
  const acrName = named === undefined ? undefined : acrNameOfServer(named.server);
  if (acrName !== undefined) return { registry: { create: acrName } };
  const registry = { create: defaultRegistryName(spec.metadata.name) };
  if (named === undefined) return { registry };
  return {
    registry,
    privateRegistry: {
      server: named.server,
      username: named.username,
      password: context.secret(named.password.secret),
    },
  };
}

/** Maps a parsed `kind: App` file with `target: azure-container-apps` to component arguments. */
export function appAzureArgs(spec: AppSpec, context: ProgramContext): ContainerAppsAppArgs {
  const name = spec.metadata.name;
  const azure = spec.spec.azure;
  if (spec.spec.target !== "azure-container-apps" || azure === undefined) {
    // The schema guarantees both; this guards a caller that skipped it.
    throw new Error(
      `App ${JSON.stringify(name)}: spec.azure (resourceGroup, location) is required for target azure-container-apps`,
    );
  }
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
  };
}

/**
 * The program body of an App on Azure Container Apps: declares the {@link ContainerAppsApp} and
 * returns the stack outputs. The lead's dispatcher wraps it in a `PulumiFn`.
 */
export function appAzureProgram(spec: AppSpec, context: ProgramContext): AppAzureOutputs {
  const app = new ContainerAppsApp(spec.metadata.name, appAzureArgs(spec, context));
  return {
    fqdns: app.fqdns,
    urls: app.urls,
    registryLoginServer: app.registryLoginServer,
    resourceGroupName: app.resourceGroupName,
  };
}
