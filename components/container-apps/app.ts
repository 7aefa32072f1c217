import * as app from "@pulumi/azure-native/app/index.js";
import * as pulumi from "@pulumi/pulumi";
import type { ContainerAppsAppArgs, ContainerAppsCustomDomain } from "./args.js";
import { ContainerAppsEnvironment } from "./environment.js";
import {
  activeRevisionsMode,
  managedCertificateName,
  renderCustomDomains,
  renderEnvAndSecrets,
  renderIngress,
  renderProbes,
  renderRegistries,
  renderScale,
} from "./render.js";
import { resolveService, type ResolvedService } from "./service-defaults.js";
import { containerAppName, validateContainerAppsApp } from "./validate.js";

/** A DNS record the owner of a custom host name must create for Azure to accept the name. */
export interface CustomDomainRecord {
  readonly type: "TXT" | "CNAME" | "A";
  /** Full record name, e.g. `asuid.api.chefcito.com.ar`. */
  readonly name: string;
  readonly value: string;
}

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
 *
 * With `customDomain`, the host is bound to one public service in steps (see
 * {@link ContainerAppsCustomDomain.binding}) with a managed certificate `<name>-cert`. With
 * `archived`, every app runs no replica and has no ingress; nothing else changes.
 */
export class ContainerAppsApp extends pulumi.ComponentResource {
  /** Host name of each service with ingress, by service name (internal ones resolve only inside). */
  readonly fqdns: Record<string, pulumi.Output<string>>;
  /**
   * `https://<host><ingressPath>` of each public (external) service, by service name: the custom
   * host once it is served with its certificate, the app's own FQDN before.
   */
  readonly urls: Record<string, pulumi.Output<string>>;
  /** Registry host CI pushes images to, e.g. `chefcitoprod.azurecr.io`. */
  readonly registryLoginServer: pulumi.Output<string>;
  /** Name of the resource group. */
  readonly resourceGroupName: pulumi.Output<string>;
  /** The shared resources. */
  readonly platform: ContainerAppsEnvironment;
  /** The Container Apps, by service name. */
  readonly containerApps: Record<string, app.ContainerApp>;
  /** The managed certificate of the custom host, from the `hostname` step on. */
  readonly managedCertificate?: app.ManagedCertificate;
  /**
   * The DNS records the custom host needs before it can be bound: the `asuid.<host>` TXT record
   * proving ownership, and the CNAME (or A record) pointing the host at the app.
   */
  readonly customDomainRecords?: pulumi.Output<CustomDomainRecord[]>;

  constructor(name: string, args: ContainerAppsAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sitestack:azure:ContainerAppsApp", name, {}, opts);
    validateContainerAppsApp(name, args);
    const archived = args.archived ?? false;
    const domain = args.customDomain;

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

    // Bound with the certificate, the app refers to it, so it comes first; at the `hostname`
    // step it comes after the app (below), because Azure issues it only for an added host.
    if (domain?.binding === "certificate") {
      this.managedCertificate = this.certificate(name, args, domain, []);
    }

    this.fqdns = {};
    this.urls = {};
    this.containerApps = {};
    const pull = renderRegistries(
      platform.registryLoginServer,
      platform.pullIdentityId,
      args.privateRegistry,
    );
    for (const service of args.services.map(resolveService)) {
      const { env, secrets: envSecrets } = renderEnvAndSecrets(service);
      const secrets = [...envSecrets, ...pull.secrets];
      const probes = renderProbes(service);
      const customDomains =
        domain?.service === service.name
          ? renderCustomDomains(domain.host, domain.binding, this.managedCertificate?.id)
          : undefined;
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
            ingress: renderIngress(service, archived, customDomains),
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
            scale: renderScale(service, archived),
          },
          tags: { ...args.tags },
        },
        // The first revision pulls at create time: the AcrPull grant must exist by then.
        { parent: this, dependsOn: [platform.acrPull] },
      );
      this.containerApps[service.name] = containerApp;
      if (service.ingress === "none") continue;
      const fqdn = this.fqdnOf(service, containerApp, archived);
      this.fqdns[service.name] = fqdn;
      if (service.ingress === "external") {
        const host =
          domain?.service === service.name && domain.binding === "certificate"
            ? pulumi.output(domain.host)
            : fqdn;
        this.urls[service.name] = pulumi.interpolate`https://${host}${service.ingressPath ?? ""}`;
      }
    }

    if (domain !== undefined) {
      const boundApp = this.containerApps[domain.service]!;
      if (domain.binding === "hostname") {
        this.managedCertificate = this.certificate(name, args, domain, [boundApp]);
      }
      this.customDomainRecords = customDomainRecords(
        domain,
        boundApp.customDomainVerificationId,
        this.fqdns[domain.service]!,
        platform.managedEnvironment.staticIp,
      );
    }

    this.registerOutputs({
      fqdns: this.fqdns,
      urls: this.urls,
      registryLoginServer: this.registryLoginServer,
      resourceGroupName: this.resourceGroupName,
      customDomainRecords: this.customDomainRecords,
    });
  }

  /**
   * The host name of a service with ingress. Active: as Azure reports it. Archived there is no
   * ingress to report one, so it is built the way Azure builds it (`<app>[.internal].<domain>`),
   * and the stack outputs stay the same while the app sleeps.
   */
  private fqdnOf(
    service: ResolvedService,
    containerApp: app.ContainerApp,
    archived: boolean,
  ): pulumi.Output<string> {
    if (archived) {
      const internal = service.ingress === "internal" ? ".internal" : "";
      return pulumi.interpolate`${containerAppName(service.name)}${internal}.${this.platform.defaultDomain}`;
    }
    // The provider marks the whole configuration secret (it holds the app's secrets), which
    // would hide the host name in stack outputs; the host name itself is public.
    return pulumi.unsecret(containerApp.configuration.apply((c) => c?.ingress?.fqdn ?? ""));
  }

  /** The managed certificate of the custom host, in the environment. */
  private certificate(
    name: string,
    args: ContainerAppsAppArgs,
    domain: ContainerAppsCustomDomain,
    dependsOn: pulumi.Resource[],
  ): app.ManagedCertificate {
    return new app.ManagedCertificate(
      `${name}-cert`,
      {
        resourceGroupName: this.platform.resourceGroupName,
        environmentName: this.platform.managedEnvironment.name,
        location: args.location,
        managedCertificateName: managedCertificateName(domain.host),
        properties: {
          subjectName: domain.host,
          // A CNAME to the app proves control of a subdomain; an apex has an A record instead,
          // so Azure checks it over HTTP.
          domainControlValidation: (domain.dnsRecordType ?? "CNAME") === "CNAME" ? "CNAME" : "HTTP",
        },
        tags: { ...args.tags },
      },
      { parent: this, dependsOn },
    );
  }
}

/** The DNS records a custom host needs, from what Azure reports for the app and environment. */
function customDomainRecords(
  domain: ContainerAppsCustomDomain,
  verificationId: pulumi.Output<string>,
  fqdn: pulumi.Output<string>,
  staticIp: pulumi.Output<string>,
): pulumi.Output<CustomDomainRecord[]> {
  const pointer = (domain.dnsRecordType ?? "CNAME") === "CNAME" ? fqdn : staticIp;
  return pulumi.all([verificationId, pointer]).apply(([id, target]): CustomDomainRecord[] => [
    { type: "TXT", name: `asuid.${domain.host}`, value: id },
    { type: domain.dnsRecordType ?? "CNAME", name: domain.host, value: target },
  ]);
}
