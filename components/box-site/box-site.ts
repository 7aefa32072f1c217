import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DnsRecord } from "../dns-record/dns-record.js";
import { needsDisruptionBudget, podDisruptionBudgetSpec } from "../kubernetes/availability.js";
import { selectorLabels, standardLabels } from "../kubernetes/labels.js";
import { ingressOnlyFromControllerSpec } from "../kubernetes/network-policy.js";
import { dnsRecordsFor, type DnsRecordToCreate } from "../kubernetes/routing.js";
import { podSecurityLabels, podSecurityLevel } from "../kubernetes/security.js";
import { createWebEntry } from "../kubernetes/web-entry.js";
import type { BoxSiteArgs } from "./args.js";
import { boxPodSpec, settingsKeys, siteSettings } from "./pod.js";
import { resolveBoxSite } from "./resolve.js";

/** Port the box's Service exposes inside the cluster. */
const servicePort = 80;

/**
 * One e-commerce box site on Kubernetes (seed 000): its own namespace, the site's Secret (OIDC
 * client and settings), the box Deployment with in-pod theme sync, a Service, routing by Ingress or
 * Gateway API, Let's Encrypt certificates for its domain and its test domain, and optionally a
 * NetworkPolicy and a Cloudflare DNS record.
 *
 * Children (`<name>` is the component's name): `<name>-ns`, `<name>-settings`, `<name>` (the
 * Deployment), `<name>-svc`, `<name>-issuer`, `<name>-cert-domain`, `<name>-cert-test`, and
 * `<name>-ingress` or `<name>-listeners` + `<name>-route` + `<name>-gateway` (a read); `<name>-pdb`
 * when replicas > 1, `<name>-netpol` with `networkPolicy`, `<name>-dns` with `dns`.
 */
export class BoxSite extends pulumi.ComponentResource {
  /** The site's namespace. */
  public readonly namespace: string;
  /** The https URLs the site answers on: its own domain first, then the test domain. */
  public readonly urls: string[];
  /** The ingress controller's (or Gateway's) public IP or hostname, once assigned. */
  public readonly ingressAddress: pulumi.Output<string | undefined>;
  /** The DNS records an admin must create (empty until the address is known). */
  public readonly dnsRecords: pulumi.Output<DnsRecordToCreate[]>;
  /** The box Deployment. */
  public readonly deployment: k8s.apps.v1.Deployment;
  /** The box Service. */
  public readonly service: k8s.core.v1.Service;
  /** The Cloudflare record of the domain, when `dns` is set. */
  public readonly dnsRecord?: DnsRecord;

  constructor(name: string, args: BoxSiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sitestack:kubernetes:BoxSite", name, {}, opts);
    const site = resolveBoxSite(name, args);
    const identity = { name: "box", instance: site.code, partOf: "sitestack" };
    const selector = selectorLabels(identity);
    const labels = standardLabels({ ...identity, version: site.version });
    const parent = { parent: this };

    const namespace = new k8s.core.v1.Namespace(
      `${name}-ns`,
      {
        metadata: {
          // Named: people, cert-manager and the ingress controller find the site by it.
          name: site.namespace,
          labels: { ...labels, ...podSecurityLabels(podSecurityLevel([site.securityProfile])) },
        },
      },
      // The namespace holds what cert-manager made and Pulumi never owned: the certificate Secrets
      // and the ACME account key. `destroy` keeps it, so a site that comes back finds its valid
      // certificates instead of spending Let's Encrypt's 5-per-week duplicate allowance; only
      // `cleanup` (which lifts retention) deletes it and everything inside.
      { parent: this, retainOnDelete: true },
    );
    const inNamespace = { namespace: namespace.metadata.name, labels };

    const settings = new k8s.core.v1.Secret(
      `${name}-settings`,
      {
        metadata: inNamespace,
        type: "Opaque",
        stringData: {
          ...siteSettings(site),
          [settingsKeys.oidcClientSecret]: pulumi.secret(args.oidc.clientSecret),
          ...(args.themes.pubsub === undefined
            ? {}
            : { [settingsKeys.redisUrl]: pulumi.secret(args.themes.pubsub.redisUrl) }),
        },
      },
      parent,
    );

    this.deployment = new k8s.apps.v1.Deployment(
      name,
      {
        metadata: inNamespace,
        spec: {
          replicas: site.replicas,
          selector: { matchLabels: selector },
          template: {
            metadata: { labels },
            spec: boxPodSpec(site, settings.metadata.name, selector),
          },
        },
      },
      parent,
    );

    this.service = new k8s.core.v1.Service(
      `${name}-svc`,
      {
        metadata: { ...inNamespace, name: "box" },
        spec: {
          selector,
          ports: [{ name: "http", port: servicePort, targetPort: "http", protocol: "TCP" }],
        },
      },
      parent,
    );

    if (needsDisruptionBudget(site.replicas)) {
      new k8s.policy.v1.PodDisruptionBudget(
        `${name}-pdb`,
        {
          // Named: archive (0 replicas) removes the budget and restore brings it back; under an
          // autoname it would come back under a new suffix, a replacement for no reason.
          metadata: { ...inNamespace, name: "box" },
          spec: podDisruptionBudgetSpec(selector),
        },
        parent,
      );
    }
    if (args.networkPolicy !== undefined) {
      new k8s.networking.v1.NetworkPolicy(
        `${name}-netpol`,
        {
          metadata: inNamespace,
          spec: ingressOnlyFromControllerSpec(
            selector,
            args.networkPolicy.ingressControllerNamespace,
            [site.port],
          ),
        },
        parent,
      );
    }

    const hosts = [
      { role: "domain", host: site.domain },
      { role: "test", host: site.testDomain },
    ];
    const entry = createWebEntry(
      name,
      {
        namespace: namespace.metadata.name,
        routing: site.routing,
        hosts,
        backends: [{ path: "/", serviceName: this.service.metadata.name, port: servicePort }],
        labels,
        tls: { email: site.techEmail, environment: site.acmeEnvironment },
        waitForAddress: site.waitForAddress,
      },
      this,
    );

    this.namespace = site.namespace;
    this.urls = hosts.map((h) => `https://${h.host}/`);
    this.ingressAddress = entry.address;
    const dns = site.dns;
    this.dnsRecords = entry.address.apply((address) =>
      address === undefined
        ? []
        : dnsRecordsFor([site.domain, site.testDomain], address, dns?.recordType),
    );

    if (dns !== undefined) {
      this.dnsRecord = new DnsRecord(
        `${name}-dns`,
        {
          zone: { name: dns.zone },
          name: site.domain,
          // Unset: DnsRecord decides it from the address, by the rule dnsRecords follows.
          ...(dns.recordType === undefined ? {} : { type: dns.recordType }),
          // Unknown until the ingress has an address: `up` waits for it (waitForAddress).
          content: entry.address.apply((address) => address ?? ""),
          proxied: dns.proxied,
          ownerStack: dns.ownerStack,
        },
        // DNS is data: `destroy` keeps the record pointing at the site, only `cleanup` removes it.
        { parent: this, retainOnDelete: true },
      );
    }

    this.registerOutputs({
      namespace: this.namespace,
      urls: this.urls,
      ingressAddress: this.ingressAddress,
      dnsRecords: this.dnsRecords,
    });
  }
}
