import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { prefixEnv } from "../env-prefix.js";
import { needsDisruptionBudget, podDisruptionBudgetSpec } from "../kubernetes/availability.js";
import { selectorLabels, standardLabels } from "../kubernetes/labels.js";
import { appServicePolicySpec } from "../kubernetes/network-policy.js";
import type { PathBackend } from "../kubernetes/routing.js";
import { podSecurityLabels, podSecurityLevel } from "../kubernetes/security.js";
import { createWebEntry } from "../kubernetes/web-entry.js";
import type { AppArgs } from "./args.js";
import { dockerConfigJson, servicePodSpec } from "./pod.js";
import { resolveApp } from "./resolve.js";

/**
 * An app of several services on Kubernetes (seed 002), in its own namespace. Per service `<s>`:
 * `<name>-<s>-config` (ConfigMap of prefixed env vars, when any), `<name>-<s>-secret` (Secret of
 * prefixed secret env vars, when any), `<name>-<s>` (Deployment), `<name>-<s>-svc` (Service, only
 * with a port), `<name>-<s>-pdb` (replicas > 1), `<name>-<s>-netpol` (with `networkPolicy`: its
 * port from the ingress controller and the app's own pods; nothing for a worker without a port). Shared: `<name>-ns`, `<name>-registry` (with `registry`), and one way in for every routed
 * path: `<name>-ingress` or `<name>-route` (+ `<name>-listeners`, `<name>-gateway`), with
 * `<name>-issuer` and `<name>-cert-public` when TLS is on.
 */
export class App extends pulumi.ComponentResource {
  /** The app's namespace. */
  public readonly namespace: string;
  /** The URL of the app's host, when it has an ingress. */
  public readonly url?: string;
  /** The ingress controller's (or Gateway's) public IP or hostname, when routed. */
  public readonly ingressAddress?: pulumi.Output<string | undefined>;
  /** The Deployment of each service, by service name. */
  public readonly deployments: Readonly<Record<string, k8s.apps.v1.Deployment>>;

  constructor(name: string, args: AppArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sitestack:kubernetes:App", name, {}, opts);
    const app = resolveApp(name, args);
    const parent = { parent: this };
    const appLabels = standardLabels({ name, instance: name, partOf: name });

    const namespace = new k8s.core.v1.Namespace(
      `${name}-ns`,
      {
        metadata: {
          name: app.namespace,
          labels: {
            ...appLabels,
            ...podSecurityLabels(podSecurityLevel(app.services.map((s) => s.securityProfile))),
          },
        },
      },
      // With TLS the namespace holds cert-manager's certificate Secrets: keep it on `destroy` like
      // BoxSite does (Let's Encrypt duplicate limit); `cleanup` lifts the retention.
      { parent: this, retainOnDelete: app.tls !== undefined },
    );
    const ns = namespace.metadata.name;

    let imagePullSecretName: pulumi.Output<string> | undefined;
    if (args.registry !== undefined) {
      const { server, username, password } = args.registry;
      imagePullSecretName = new k8s.core.v1.Secret(
        `${name}-registry`,
        {
          metadata: { namespace: ns, labels: appLabels },
          type: "kubernetes.io/dockerconfigjson",
          stringData: {
            ".dockerconfigjson": pulumi.secret(
              pulumi.output(password).apply((p) => dockerConfigJson(server, username, p)),
            ),
          },
        },
        parent,
      ).metadata.name;
    }

    const deployments: Record<string, k8s.apps.v1.Deployment> = {};
    const backends: PathBackend[] = [];
    for (const service of app.services) {
      const identity = { name: service.name, instance: name, partOf: name };
      const selector = selectorLabels(identity);
      const labels = standardLabels({ ...identity, version: service.version });
      const metadata = { namespace: ns, labels };
      const base = `${name}-${service.name}`;

      const env = prefixEnv(service.name, service.env);
      const configMapName =
        Object.keys(env).length === 0
          ? undefined
          : new k8s.core.v1.ConfigMap(`${base}-config`, { metadata, data: env }, parent).metadata
              .name;
      const secretEnv = prefixEnv(service.name, args.services[service.name]?.secretEnv ?? {});
      const secretName =
        Object.keys(secretEnv).length === 0
          ? undefined
          : new k8s.core.v1.Secret(
              `${base}-secret`,
              {
                metadata,
                type: "Opaque",
                stringData: Object.fromEntries(
                  Object.entries(secretEnv).map(([key, value]) => [key, pulumi.secret(value)]),
                ),
              },
              parent,
            ).metadata.name;

      deployments[service.name] = new k8s.apps.v1.Deployment(
        base,
        {
          metadata,
          spec: {
            replicas: service.replicas,
            selector: { matchLabels: selector },
            template: {
              metadata: { labels },
              spec: servicePodSpec(
                service,
                { configMapName, secretName, imagePullSecretName },
                selector,
              ),
            },
          },
        },
        parent,
      );

      if (service.port !== undefined) {
        const svc = new k8s.core.v1.Service(
          `${base}-svc`,
          {
            // Named: other services reach it by its DNS name (`http://users:8080`).
            metadata: { ...metadata, name: service.name },
            spec: {
              selector,
              ports: [{ name: "http", port: service.port, targetPort: "http", protocol: "TCP" }],
            },
          },
          parent,
        );
        if (service.path !== undefined) {
          backends.push({ path: service.path, serviceName: svc.metadata.name, port: service.port });
        }
      }
      if (args.networkPolicy !== undefined) {
        new k8s.networking.v1.NetworkPolicy(
          `${base}-netpol`,
          {
            metadata,
            spec: appServicePolicySpec(
              selector,
              args.networkPolicy.ingressControllerNamespace,
              service.port,
            ),
          },
          parent,
        );
      }
      if (needsDisruptionBudget(service.replicas)) {
        new k8s.policy.v1.PodDisruptionBudget(
          `${base}-pdb`,
          {
            // Named: archive (0 replicas) removes the budget and restore brings it back; under an
            // autoname it would come back under a new suffix, a replacement for no reason.
            metadata: { ...metadata, name: service.name },
            spec: podDisruptionBudgetSpec(selector),
          },
          parent,
        );
      }
    }

    this.namespace = app.namespace;
    this.deployments = deployments;
    if (app.host !== undefined) {
      const entry = createWebEntry(
        name,
        {
          namespace: ns,
          routing: app.routing,
          hosts: [{ role: "public", host: app.host }],
          backends,
          labels: appLabels,
          tls: app.tls,
          waitForAddress: app.waitForAddress,
        },
        this,
      );
      this.url = `${app.tls === undefined ? "http" : "https"}://${app.host}/`;
      this.ingressAddress = entry.address;
    }

    this.registerOutputs({
      namespace: this.namespace,
      url: this.url,
      ingressAddress: this.ingressAddress,
    });
  }
}
