/**
 * Platform-wide settings that are not part of any one site file: they belong to the team running
 * sitestack (one value for every stack), and reach the program from the stack manager.
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
   * Where Kubernetes objects go: a cluster (the Kubernetes provider's own defaults: `KUBECONFIG`
   * or `~/.kube/config`, or the given kubeconfig file), or YAML files rendered into
   * `<directory>/<stack>/` instead of applied (no cluster needed).
   * @default { mode: "cluster" }
   */
  readonly kubernetes: KubernetesTarget;
}

/** Where a stack's Kubernetes objects go. */
export type KubernetesTarget =
  | { readonly mode: "cluster"; readonly kubeconfig?: string }
  | { readonly mode: "render"; readonly directory: string };

/** The defaults used when the stack manager is given no platform settings. */
export const defaultPlatformSettings: PlatformSettings = {
  testDomainBase: "sites.example.net",
  routing: { kind: "ingress", className: "nginx" },
  acmeEnvironment: "production",
  kubernetes: { mode: "cluster" },
};
