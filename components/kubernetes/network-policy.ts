import type * as k8s from "@pulumi/kubernetes";

/**
 * A NetworkPolicy spec that admits traffic to the selected pods only from pods in the ingress
 * controller's namespace, on the given ports. Egress is not restricted: workloads talk to
 * endpoints outside the cluster (theme source, OpenID provider, Redis, databases) whose addresses
 * the platform does not know.
 */
export function ingressOnlyFromControllerSpec(
  selector: Record<string, string>,
  controllerNamespace: string,
  ports: readonly number[],
): k8s.types.input.networking.v1.NetworkPolicySpec {
  return {
    podSelector: { matchLabels: selector },
    policyTypes: ["Ingress"],
    ingress: [
      {
        from: [
          {
            // Set by the API server on every namespace since 1.22, so no labelling is needed.
            namespaceSelector: {
              matchLabels: { "kubernetes.io/metadata.name": controllerNamespace },
            },
          },
        ],
        ports: ports.map((port) => ({ protocol: "TCP", port })),
      },
    ],
  };
}

/**
 * The NetworkPolicy spec of one service of an app: traffic on its port from the ingress
 * controller's namespace and from the app's own pods (services call each other by name,
 * `http://users:8080`), nothing from anywhere else. A service without a port (a worker) admits
 * nothing. Egress is not restricted, as in {@link ingressOnlyFromControllerSpec}.
 */
export function appServicePolicySpec(
  selector: Record<string, string>,
  controllerNamespace: string,
  port: number | undefined,
): k8s.types.input.networking.v1.NetworkPolicySpec {
  return {
    podSelector: { matchLabels: selector },
    policyTypes: ["Ingress"],
    ingress:
      port === undefined
        ? []
        : [
            {
              from: [
                {
                  namespaceSelector: {
                    matchLabels: { "kubernetes.io/metadata.name": controllerNamespace },
                  },
                },
                // Every pod of the app's own namespace.
                { podSelector: {} },
              ],
              ports: [{ protocol: "TCP", port }],
            },
          ],
  };
}
