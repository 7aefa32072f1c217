import * as app from "@pulumi/azure-native/app/index.js";
import * as pulumi from "@pulumi/pulumi";
import type { ContainerAppsAppArgs } from "./args.js";
import { ContainerAppsEnvironment } from "./environment.js";
import {
  activeRevisionsMode,
  renderEnvAndSecrets,
  renderIngress,
  renderProbes,
  renderRegistries,
  renderScale,
} from "./render.js";
import { resolveService } from "./service-defaults.js";
import { containerAppName, validateContainerAppsApp } from "./validate.js";

/**
 * An app of the app model (seed 002, as seed 003 ran it) on Azure Container Apps: the shared
 * {@link ContainerAppsEnvironment} (`<name>-platform`) and one Container App per service
 * (`<name>-<service>`; its Azure name is the service name, so `http://users` reaches service
 * `users` as on Kubernetes), pulling from the registry through the environment's managed identity.
 *
 * Per service: single revision mode unless asked; external ingress for a port with a path,
 * internal for a port alone, none for workers; env vars with the service prefix; secret variables as
 * Container App secrets referenced by `secretRef`; min/max replicas with an HTTP concurrency rule;
 * liveness and readiness probes for services with a port.
 */
export class ContainerAppsApp extends pulumi.ComponentResource {
  /** Host name of each service with ingress, by service name (internal ones resolve only inside). */
  readonly fqdns: Record<string, pulumi.Output<string>>;
  /** `https://<fqdn><ingressPath>` of each public (external) service, by service name. */
  readonly urls: Record<string, pulumi.Output<string>>;
  /** Registry host CI pushes images to, e.g. `chefcitoprod.azurecr.io`. */
  readonly registryLoginServer: pulumi.Output<string>;
  /** Name of the resource group. */
  readonly resourceGroupName: pulumi.Output<string>;
  /** The shared resources. */
  readonly platform: ContainerAppsEnvironment;
  /** The Container Apps, by service name. */
  readonly containerApps: Record<string, app.ContainerApp>;

  constructor(name: string, args: ContainerAppsAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sitestack:azure:ContainerAppsApp", name, {}, opts);
    validateContainerAppsApp(name, args);
    const services = args.services;

    this.platform = new ContainerAppsEnvironment(
      `${name}-platform`,
      {
        location: args.location,
        resourceGroup: args.resourceGroup,
        registry: args.registry,
        logRetentionDays: args.logRetentionDays,
        tags: args.tags,
      },
      { parent: this },
    );
    const platform = this.platform;
    this.registryLoginServer = platform.registryLoginServer;
    this.resourceGroupName = platform.resourceGroupName;

    this.fqdns = {};
    this.urls = {};
    this.containerApps = {};
    const pull = renderRegistries(
      platform.registryLoginServer,
      platform.pullIdentityId,
      args.privateRegistry,
    );
    for (const service of services.map(resolveService)) {
      const { env, secrets: envSecrets } = renderEnvAndSecrets(service);
      const secrets = [...envSecrets, ...pull.secrets];
      const probes = renderProbes(service);
      const containerApp = new app.ContainerApp(
        `${name}-${service.name}`,
        {
          containerAppName: containerAppName(service.name),
          resourceGroupName: platform.resourceGroupName,
          location: args.location,
          environmentId: platform.environmentId,
          identity: { type: "UserAssigned", userAssignedIdentities: [platform.pullIdentityId] },
          configuration: {
            activeRevisionsMode: activeRevisionsMode(service),
            ingress: renderIngress(service),
            registries: pull.registries,
            secrets: secrets.length > 0 ? secrets : undefined,
          },
          template: {
            containers: [
              {
                name: service.name,
                image: service.image,
                env,
                probes: probes.length > 0 ? probes : undefined,
                resources: { cpu: service.cpuCores, memory: `${service.memoryGiB}Gi` },
              },
            ],
            scale: renderScale(service),
          },
          tags: { ...args.tags },
        },
        // The first revision pulls at create time: the AcrPull grant must exist by then.
        { parent: this, dependsOn: [platform.acrPull] },
      );
      this.containerApps[service.name] = containerApp;
      if (service.ingress !== "none") {
        // The provider marks the whole configuration secret (it holds the app's secrets), which
        // would hide the host name in stack outputs; the host name itself is public.
        const fqdn = pulumi.unsecret(
          containerApp.configuration.apply((c) => c?.ingress?.fqdn ?? ""),
        );
        this.fqdns[service.name] = fqdn;
        if (service.ingress === "external") {
          this.urls[service.name] = pulumi.interpolate`https://${fqdn}${service.ingressPath ?? ""}`;
        }
      }
    }

    this.registerOutputs({
      fqdns: this.fqdns,
      urls: this.urls,
      registryLoginServer: this.registryLoginServer,
      resourceGroupName: this.resourceGroupName,
    });
  }
}
