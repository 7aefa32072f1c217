import type * as pulumi from "@pulumi/pulumi";
import type { ContainerResources } from "../kubernetes/resources.js";
import type { Routing } from "../kubernetes/routing.js";
import type { SecurityProfile } from "../kubernetes/security.js";
import type { AcmeEnvironment } from "../kubernetes/tls.js";

/** One service of an app (seed 002: users, payment, goals, …, metrics consumer). */
export interface AppServiceArgs {
  /** Image with tag or digest, e.g. `taller2fiuba/users:1.4.0`. Plain. */
  readonly image: string;
  /** Port the service listens on. Workers (e.g. a queue consumer) have none. @default - no port, no Service */
  readonly port?: number;
  /**
   * Plain environment variables, prefixed with the service name (`MONGO_USER` of `users` becomes
   * `USERS_MONGO_USER`). Go into the service's ConfigMap. Plain.
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Secret environment variables, prefixed like `env`. Values reach the pod only through the
   * service's Kubernetes Secret.
   * @default {}
   */
  readonly secretEnv?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Path prefix routed to this service by the app's ingress; needs `port`. @default - not routed */
  readonly path?: string;
  /** Number of pods; 0 scales the service down. @default 1 */
  readonly replicas?: number;
  /** CPU and memory. @default - 100m / 128Mi, memory limit 256Mi */
  readonly resources?: ContainerResources;
  /** HTTP path for readiness. @default - readiness by TCP connect on `port` */
  readonly healthPath?: string;
  /** Paths the container writes to, each on its own emptyDir. @default ["/tmp"] */
  readonly writablePaths?: readonly string[];
  /** Security profile of the service's container. @default "restricted" */
  readonly securityProfile?: SecurityProfile;
}

/** Arguments of {@link App}. */
export interface AppArgs {
  /** Services by name (lowercase DNS labels; also their in-cluster DNS names). */
  readonly services: Readonly<Record<string, AppServiceArgs>>;
  /** The namespace to create for the app. @default - the component's name */
  readonly namespace?: string;
  /** The public host the routed services answer on. @default - no ingress */
  readonly ingress?: {
    /** Host name, e.g. `api.fiuba.example.net`. Plain. */
    readonly host: string;
    /**
     * A Let's Encrypt certificate for the host, `email` being the ACME account e-mail.
     * @default - plain HTTP
     */
    readonly tls?: { readonly email: string; readonly environment?: AcmeEnvironment };
  };
  /** How traffic reaches the app. @default { kind: "ingress", className: "nginx" } */
  readonly routing?: Routing;
  /** Credentials for a private registry, as an image pull Secret. @default - public images */
  readonly registry?: {
    readonly server: string;
    readonly username: string;
    readonly password: pulumi.Input<string>;
  };
  /**
   * Admit traffic to each service only from the ingress controller's namespace and from the app's
   * own pods, on its port (a worker without a port admits none).
   * @default - no NetworkPolicy
   */
  readonly networkPolicy?: { readonly ingressControllerNamespace: string };
  /** Wait during `up` until the ingress has a public address. @default true */
  readonly waitForAddress?: boolean;
}
