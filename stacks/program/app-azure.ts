import type * as pulumi from "@pulumi/pulumi";
import {
  ContainerAppsApp,
  customDomainBindingProblem,
  customDomainRoutingProblems,
  registryChoiceProblem,
  type ContainerAppsAppArgs,
  type ContainerAppsCustomDomain,
  type CustomDomainRecord,
  type ContainerAppServiceArgs,
  type PrivateRegistryCredentials,
  type RegistryChoice,
} from "../../components/container-apps/index.js";
import { nakedDomainProblem } from "../../components/dns-record/public-names.js";
import type { AppSpec } from "../site-model/index.js";
import type { ProgramContext } from "../platform/program-context.js";

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
 * `registry` (user name and password) is for a registry outside Azure: the component refuses an
 * `*.azurecr.io` server there with the rule the schema checks it with.
 */
export function registryOf(
  spec: AppSpec,
  context: ProgramContext,
): { registry: RegistryChoice; privateRegistry?: PrivateRegistryCredentials } {
  const choice = azureSettingsOf(spec).registry;
  // The schema refuses both and neither with the same rule; this guards a caller that skipped it.
  const choiceProblem = registryChoiceProblem(choice);
  if (choiceProblem !== undefined) {
    throw new Error(`App ${JSON.stringify(spec.metadata.name)}: azure.registry ${choiceProblem}`);
  }
  const registry: RegistryChoice =
    choice.existing !== undefined
      ? { existing: choice.existing.name, resourceGroupName: choice.existing.resourceGroup }
      : { create: choice.create!.name, sku: choice.create!.sku };
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
  const fail: (message: string) => never = (message) => {
    throw new Error(`App ${JSON.stringify(spec.metadata.name)}: ${message}`);
  };
  // The schema refuses each of these with the same rules; this guards a caller that skipped it.
  const host = spec.spec.ingress?.host;
  const binding = azureSettingsOf(spec).hostBinding;
  const bindingProblem = customDomainBindingProblem(binding, host !== undefined);
  if (bindingProblem !== undefined) fail(`azure.hostBinding ${bindingProblem}`);
  if (host === undefined || binding === undefined) return undefined;
  const routed = Object.keys(spec.spec.services).filter(
    (name) => spec.spec.services[name]!.path !== undefined,
  );
  for (const problem of customDomainRoutingProblems(routed)) {
    fail(`services.${problem.service}.path ${problem.message}`);
  }
  const [service] = routed;
  if (service === undefined) fail("ingress is set but no service has a path to route to it");
  return {
    host,
    service,
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
