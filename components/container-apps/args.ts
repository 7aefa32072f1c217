import type * as pulumi from "@pulumi/pulumi";
import type { customDomainBindings, registrySkus } from "./validate.js";

/**
 * The resource group the app lives in: created and owned by the stack, or an existing one adopted by
 * name (never both: a group the stack did not create is never deleted by `destroy`).
 */
export type ResourceGroupChoice =
  | { readonly create: string; readonly existing?: never }
  | { readonly existing: string; readonly create?: never };

/** Azure Container Registry service tiers that are still sold (Classic is retired). */
export type RegistrySku = (typeof registrySkus)[number];

/**
 * The Azure Container Registry the services pull from: created by the stack, or an existing one
 * (for instance a registry shared by several apps, or one created by a platform stack).
 */
export type RegistryChoice =
  | {
      /** Registry name: globally unique, 5 to 50 letters and digits (it becomes `<name>.azurecr.io`). */
      readonly create: string;
      /** @default "Basic" */
      readonly sku?: RegistrySku;
      readonly existing?: never;
    }
  | {
      /** Name of a registry that already exists. */
      readonly existing: string;
      /** Resource group of that registry. @default - the app's resource group */
      readonly resourceGroupName?: string;
      readonly create?: never;
    };

/** Arguments of {@link ContainerAppsEnvironment}: everything the services of one app share. */
export interface ContainerAppsEnvironmentArgs {
  /** Azure region of every resource, e.g. `"westeurope"`. Plain: validated up front. */
  readonly location: string;
  /** Resource group to create or adopt. */
  readonly resourceGroup: ResourceGroupChoice;
  /** Container registry to create or adopt; images pull from it through a managed identity. */
  readonly registry: RegistryChoice;
  /**
   * Days the Log Analytics workspace keeps container logs (Azure allows 30 to 730 on PerGB2018).
   * @default 30
   */
  readonly logRetentionDays?: number;
  /** Azure tags put on every resource that takes tags. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Revision modes sitestack offers; `single` keeps exactly one active revision. */
export type RevisionsMode = "single" | "multiple";

/** HTTP health checks of a service, used for both liveness and readiness. */
export interface ContainerAppProbes {
  /** Path answered with 2xx/3xx while the service is healthy, e.g. `"/health"`. */
  readonly path: string;
  /** Seconds before the first check. @default 5 */
  readonly initialDelaySeconds?: number;
  /** Seconds between checks. @default 10 */
  readonly periodSeconds?: number;
  /** Failed checks in a row before the replica is restarted (liveness) or taken out (readiness). @default 3 */
  readonly failureThreshold?: number;
}

/**
 * One service of the app model (seed 002/003) as a Container App.
 *
 * Ingress follows from the fields, the same rule as on Kubernetes: a `port` with an `ingressPath` is
 * an HTTP service reachable from the internet (external ingress); a `port` without a path is reachable
 * only inside the environment (internal ingress); no port is a worker (no ingress at all).
 */
export interface ContainerAppServiceArgs {
  /** Service name (lowercase DNS label); also the env var prefix (`users` → `USERS_`). */
  readonly name: string;
  /**
   * Full image reference, used as written (Docker's rule: no host means Docker Hub), as on the
   * Kubernetes target. Images in the app's registry name its host:
   * `chefcitoprod.azurecr.io/users:1.4.0`.
   */
  readonly image: string;
  /** Port the container listens on. @default - none: a worker without ingress */
  readonly port?: number;
  /**
   * Public path of an HTTP service (`/users`). Container Apps give every app its own host name, so
   * the path is not a routing rule here: it marks the service as public and completes its URL.
   * @default - none: internal ingress when there is a port
   */
  readonly ingressPath?: string;
  /** Plain variables, keys without the service prefix. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Secret variables, keys without the service prefix; values should be Pulumi secrets (they are
   * wrapped as secrets again here, so a plain value passed by mistake still never reaches state in
   * the clear). @default {}
   */
  readonly secretEnv?: Readonly<Record<string, pulumi.Input<string>>>;
  /** HTTP probes. @default - TCP probes on `port` for services with a port, none for workers */
  readonly probes?: ContainerAppProbes;
  /** Fewest replicas. Workers need at least 1 (nothing would wake them up). @default 1 */
  readonly minReplicas?: number;
  /** Most replicas. @default - max(minReplicas, 3) */
  readonly maxReplicas?: number;
  /**
   * Concurrent HTTP requests per replica above which the HTTP scale rule adds a replica; only for
   * services with a port. @default 10 (the Container Apps default)
   */
  readonly concurrentRequests?: number;
  /** vCPU cores per replica (consumption plan: 0.25 to 4 in steps of 0.25). @default 0.5 */
  readonly cpuCores?: number;
  /** Memory per replica in GiB; the consumption plan wants twice the cores. @default - 2 × cpuCores */
  readonly memoryGiB?: number;
  /** @default "single" */
  readonly revisionsMode?: RevisionsMode;
}

/**
 * A private registry outside Azure (e.g. a private Docker Hub organisation) pulled with a user
 * name and password. The app's own registry never needs this: it is pulled through the identity.
 */
export interface PrivateRegistryCredentials {
  /** Registry host, e.g. `docker.io` or `ghcr.io`. */
  readonly server: string;
  readonly username: string;
  /** Password or token; a Pulumi secret (wrapped again here). */
  readonly password: pulumi.Input<string>;
}

/**
 * How far a custom host name is bound. Azure issues a managed certificate only for a host name
 * already added to a Container App, and binds a certificate only once it exists, so a new host
 * takes steps, one `up` each:
 *
 * - `"none"`: nothing bound yet; the component only reports the DNS records to create
 *   ({@link ContainerAppsApp.customDomainRecords}). Adding a host fails until they resolve.
 * - `"hostname"`: the host is added to the service's app without TLS (`bindingType: Disabled`),
 *   and the managed certificate is requested after that update (it depends on the app).
 * - `"certificate"`: the host is served with the managed certificate (`bindingType: SniEnabled`,
 *   `certificateId`); the certificate now comes before the app, which refers to it.
 */
export type CustomDomainBinding = (typeof customDomainBindings)[number];

/** A public host name of the app, served by one external service with a managed certificate. */
export interface ContainerAppsCustomDomain {
  /** The host name, e.g. `api.chefcito.com.ar`. Plain: validated up front. */
  readonly host: string;
  /** The service the host is bound to: one with a port and an `ingressPath` (external ingress). */
  readonly service: string;
  /** How far the binding has come; see {@link CustomDomainBinding}. */
  readonly binding: CustomDomainBinding;
  /**
   * The record that points the host at the app: a CNAME to the app's FQDN for a subdomain
   * (validated by Azure through that CNAME), an A record to the environment's static IP for a zone
   * apex, which cannot hold a CNAME (validated over HTTP).
   * @default "CNAME"
   */
  readonly dnsRecordType?: "CNAME" | "A";
}

/** Arguments of {@link ContainerAppsApp}. */
export interface ContainerAppsAppArgs extends ContainerAppsEnvironmentArgs {
  /**
   * The services, each a Container App named like the service (unique within the resource group:
   * two apps sharing a group must not share service names). At least one.
   */
  readonly services: readonly ContainerAppServiceArgs[];
  /** Credentials for a registry outside Azure. @default - none: only the app's registry */
  readonly privateRegistry?: PrivateRegistryCredentials;
  /** A custom host name with an Azure managed certificate. @default - none: only Azure's names */
  readonly customDomain?: ContainerAppsCustomDomain;
  /**
   * The archived form: every Container App at zero replicas with no way to wake up (no ingress,
   * so no HTTP trigger, and no scale rules), while the environment, registry, log workspace,
   * identity, role assignment and managed certificate stay. Only the rendering changes, so
   * `false` again restores exactly the inputs the same arguments had before.
   * @default false
   */
  readonly archived?: boolean;
}
