/**
 * Platform-wide settings that are not part of any one site file: they belong to the team running
 * sitestack (one value for every stack), are written in the platform file `sitestack.yaml`
 * (stacks/platform/file.ts, docs/platform-file.md), and reach the program from the stack manager.
 */
export interface PlatformSettings {
  /**
   * Base domain of the automatic test domains: a box site with code `acme` also answers on
   * `acme.<testDomainBase>` before its own domain is bought.
   * @default "sites.example.net"
   */
  readonly testDomainBase: string;
  /**
   * How HTTP traffic reaches sites on Kubernetes.
   * @default { kind: "ingress", className: "nginx" }
   */
  readonly routing:
    | { readonly kind: "ingress"; readonly className: string }
    | {
        readonly kind: "gateway";
        readonly gatewayName: string;
        readonly gatewayNamespace: string;
      };
  /**
   * Let's Encrypt environment used by the per-site ACME issuers.
   * @default "production"
   */
  readonly acmeEnvironment: "staging" | "production";
  /**
   * The ACME account e-mail of sites that have none of their own (App ingresses; a box site uses
   * its `techEmail`). With it, an App's `ingress.host` gets a Let's Encrypt certificate.
   * @default - none: App ingresses serve plain HTTP
   */
  readonly acmeEmail?: string;
  /**
   * The namespace of the ingress controller (or of the Gateway's data plane). With it, every pod
   * sitestack renders for a box site or an App service admits traffic only from there (a
   * NetworkPolicy), as the staging chart does.
   * @default - no NetworkPolicy
   */
  readonly ingressControllerNamespace?: string;
  /**
   * Clusters by name; a site file chooses one with `spec.cluster`.
   * @default {}
   */
  readonly clusters?: Readonly<Record<string, ClusterConnection>>;
  /**
   * The cluster of sites that name none (a key of `clusters`).
   * @default - the cluster of `kubernetes` (`KUBECONFIG` or `~/.kube/config`)
   */
  readonly defaultCluster?: string;
  /**
   * Container resources of the box and of App services on Kubernetes when their site file sets
   * none.
   * @default - each component's own (box: 100m / 256Mi, limit 512Mi; service: 100m / 128Mi, limit 256Mi)
   */
  readonly resources?: PlatformResources;
  /**
   * The folder of the Helm charts stagings name (`chart: box` is `<chartsDir>/box`).
   * @default - the project's `charts/` when it has one (so a pull request's chart change is what
   * its preview renders), else the charts shipped with sitestack
   */
  readonly chartsDir?: string;
  /**
   * Where Kubernetes objects go: a cluster (the Kubernetes provider's own defaults: `KUBECONFIG`
   * or `~/.kube/config`, or the given kubeconfig file), or YAML files rendered into
   * `<directory>/<stack>/` instead of applied (no cluster needed).
   * @default { mode: "cluster" }
   */
  readonly kubernetes: KubernetesTarget;
}

/** Where a stack's Kubernetes objects go. */
export type KubernetesTarget =
  | ({ readonly mode: "cluster" } & ClusterConnection)
  | { readonly mode: "render"; readonly directory: string };

/** How to reach one cluster. */
export interface ClusterConnection {
  /** A kubeconfig file. @default - `KUBECONFIG` or `~/.kube/config` */
  readonly kubeconfig?: string;
  /** A context of the kubeconfig. @default - its current context */
  readonly context?: string;
}

/** Default container resources, in Kubernetes quantities. */
export interface PlatformResources {
  readonly cpuRequest?: string;
  readonly memoryRequest?: string;
  readonly memoryLimit?: string;
}

/**
 * Where the Kubernetes objects of a site that chose `cluster` (or none) go: rendered files stay
 * rendered files (no cluster is reached); otherwise the chosen cluster, the default cluster, or
 * the platform's `kubernetes` target.
 * @throws Error naming the clusters there are, for a name the platform does not know.
 */
export function kubernetesTargetOf(
  platform: PlatformSettings,
  cluster: string | undefined,
): KubernetesTarget {
  const target = platform.kubernetes;
  const name = cluster ?? platform.defaultCluster;
  if (name === undefined) return target;
  const connection = platform.clusters?.[name];
  if (connection === undefined) {
    const known = Object.keys(platform.clusters ?? {});
    throw new Error(
      `cluster ${JSON.stringify(name)} is not in the platform file (sitestack.yaml); ${known.length === 0 ? "it names no clusters" : `its clusters: ${known.join(", ")}`}`,
    );
  }
  return target.mode === "render" ? target : { mode: "cluster", ...connection };
}

/** The defaults used when the stack manager is given no platform settings. */
export const defaultPlatformSettings: PlatformSettings = {
  testDomainBase: "sites.example.net",
  routing: { kind: "ingress", className: "nginx" },
  acmeEnvironment: "production",
  kubernetes: { mode: "cluster" },
};
