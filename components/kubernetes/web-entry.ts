import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  gatewayAddress,
  httpRouteSpec,
  ingressSpec,
  listenerSetSpec,
  loadBalancerAddress,
  type PathBackend,
  type RoutedHost,
  type Routing,
} from "./routing.js";
import { acmeIssuerSpec, certificateSpec, issuerName, type AcmeEnvironment } from "./tls.js";

/** A public host of a workload and the short role that names its certificate (`domain`, `test`). */
export interface NamedHost {
  readonly role: string;
  readonly host: string;
}

/** What {@link createWebEntry} needs. */
export interface WebEntryArgs {
  readonly namespace: pulumi.Input<string>;
  readonly routing: Routing;
  readonly hosts: readonly NamedHost[];
  readonly backends: readonly PathBackend[];
  readonly labels: Record<string, string>;
  /** Let's Encrypt certificates through a per-namespace Issuer. @default - plain HTTP */
  readonly tls?: { readonly email: string; readonly environment: AcmeEnvironment };
  /** Wait for the Ingress to get its load balancer address during `up`. */
  readonly waitForAddress: boolean;
}

/** The resources {@link createWebEntry} made, and the public address they answer on. */
export interface WebEntry {
  readonly ingress?: k8s.networking.v1.Ingress;
  readonly httpRoute?: k8s.apiextensions.CustomResource;
  readonly listenerSet?: k8s.apiextensions.CustomResource;
  readonly issuer?: k8s.apiextensions.CustomResource;
  readonly certificates: readonly k8s.apiextensions.CustomResource[];
  /** The IP or hostname to point DNS at, once the ingress controller or Gateway has one. */
  readonly address: pulumi.Output<string | undefined>;
}

/** The TLS Secret of a host role; stable, so certificates survive every update. */
export function tlsSecretName(role: string): string {
  return `${role}-tls`;
}

/**
 * Creates the way in for a workload, as children of `parent`: TLS (`<name>-issuer`,
 * `<name>-cert-<role>`) and either `<name>-ingress`, or `<name>-listeners` + `<name>-route` (plus a
 * read of the platform Gateway, `<name>-gateway`, for its address). Shared by the BoxSite and App
 * components so both route and certify the same way.
 *
 * The Issuer, the Certificates and their Secrets have fixed names: Let's Encrypt allows 5
 * certificates per week for the same set of names, so nothing here may be recreated by an update.
 * cert-manager never deletes a certificate Secret when its Certificate goes away, and a new
 * Certificate that finds a valid Secret matching its spec does not re-issue.
 */
export function createWebEntry(
  name: string,
  args: WebEntryArgs,
  parent: pulumi.Resource,
): WebEntry {
  const metadata = { namespace: args.namespace, labels: args.labels };
  const routed: RoutedHost[] = args.hosts.map((h) => ({
    host: h.host,
    ...(args.tls === undefined ? {} : { tlsSecretName: tlsSecretName(h.role) }),
  }));

  let issuer: k8s.apiextensions.CustomResource | undefined;
  const certificates: k8s.apiextensions.CustomResource[] = [];
  if (args.tls !== undefined) {
    const { email, environment } = args.tls;
    issuer = new k8s.apiextensions.CustomResource(
      `${name}-issuer`,
      {
        apiVersion: "cert-manager.io/v1",
        kind: "Issuer",
        metadata: { ...metadata, name: issuerName(environment) },
        spec: acmeIssuerSpec(email, environment, args.routing),
      },
      { parent },
    );
    for (const h of args.hosts) {
      certificates.push(
        new k8s.apiextensions.CustomResource(
          `${name}-cert-${h.role}`,
          {
            apiVersion: "cert-manager.io/v1",
            kind: "Certificate",
            metadata: { ...metadata, name: h.role },
            spec: certificateSpec(h.host, tlsSecretName(h.role), environment),
          },
          { parent, dependsOn: [issuer] },
        ),
      );
    }
  }

  switch (args.routing.kind) {
    case "ingress": {
      const ingress = new k8s.networking.v1.Ingress(
        `${name}-ingress`,
        {
          metadata: {
            ...metadata,
            // Without an address there is nothing to tell the admin; on a cluster without an
            // ingress controller (tests) waiting would only time out.
            ...(args.waitForAddress ? {} : { annotations: { "pulumi.com/skipAwait": "true" } }),
          },
          spec: ingressSpec(args.routing.className, routed, args.backends),
        },
        { parent },
      );
      const address = ingress.status.apply((s) => loadBalancerAddress(s?.loadBalancer));
      return { ingress, issuer, certificates, address };
    }
    case "gateway": {
      const gatewayRef = {
        group: "gateway.networking.k8s.io",
        kind: "Gateway",
        name: args.routing.gatewayName,
        namespace: args.routing.gatewayNamespace,
      };
      let listenerSet: k8s.apiextensions.CustomResource | undefined;
      if (args.tls !== undefined) {
        listenerSet = new k8s.apiextensions.CustomResource(
          `${name}-listeners`,
          {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "ListenerSet",
            metadata,
            spec: listenerSetSpec(args.routing, routed),
          },
          { parent, dependsOn: certificates },
        );
      }
      const parentRefs =
        listenerSet === undefined
          ? [gatewayRef]
          : [
              {
                group: "gateway.networking.k8s.io",
                kind: "ListenerSet",
                name: listenerSet.metadata.name,
              },
            ];
      const httpRoute = new k8s.apiextensions.CustomResource(
        `${name}-route`,
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "HTTPRoute",
          metadata,
          spec: httpRouteSpec(parentRefs, routed, args.backends),
        },
        { parent },
      );
      // The Gateway belongs to the platform: read it (never manage it) for its public address.
      const gateway = new k8s.apiextensions.CustomResource(
        `${name}-gateway`,
        { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", status: undefined },
        { parent, id: `${args.routing.gatewayNamespace}/${args.routing.gatewayName}` },
      );
      const status = (gateway as unknown as { status: pulumi.Output<unknown> }).status;
      const address = status.apply((s) =>
        gatewayAddress(s as Parameters<typeof gatewayAddress>[0]),
      );
      return { httpRoute, listenerSet, issuer, certificates, address };
    }
    default: {
      const never: never = args.routing;
      throw new Error(`unknown routing ${JSON.stringify(never)}`);
    }
  }
}
