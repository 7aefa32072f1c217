import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { recordTypeFor, type AddressRecordType } from "../dns-record/resolve.js";

/**
 * How HTTP traffic reaches workloads: an Ingress of a class (ingress-nginx by default) or a route
 * attached to a platform-owned Gateway API `Gateway` (ingress-nginx was retired upstream in 2026).
 */
export type Routing =
  | { readonly kind: "ingress"; readonly className: string }
  | { readonly kind: "gateway"; readonly gatewayName: string; readonly gatewayNamespace: string };

/** One public host name and, when served over TLS, the Secret holding its certificate. */
export interface RoutedHost {
  readonly host: string;
  /** Name of the TLS Secret in the workload's namespace. @default - plain HTTP only */
  readonly tlsSecretName?: string;
}

/** A path prefix every router reads the same: "/" and letters, digits, ".", "_", "~", "-", "/". */
export const ingressPathPattern = /^\/[A-Za-z0-9._~/-]*$/;

/**
 * Why `path` cannot be routed as a path prefix, or `undefined`: "/" and then only characters that
 * mean the same in an Ingress, an HTTPRoute and a URL (letters, digits, ".", "_", "~", "-", "/").
 */
export function ingressPathProblem(path: string): string | undefined {
  return ingressPathPattern.test(path)
    ? undefined
    : 'must be a path like "/users": "/" followed by letters, digits, ".", "_", "~", "-" and "/"';
}

/** A path prefix sent to a Service port. */
export interface PathBackend {
  readonly path: string;
  readonly serviceName: pulumi.Input<string>;
  readonly port: number;
}

/** The spec of an Ingress serving every backend path on every host, TLS per host. */
export function ingressSpec(
  className: string,
  hosts: readonly RoutedHost[],
  backends: readonly PathBackend[],
): k8s.types.input.networking.v1.IngressSpec {
  const tlsHosts = hosts.filter((h) => h.tlsSecretName !== undefined);
  return {
    ingressClassName: className,
    rules: hosts.map((h) => ({
      host: h.host,
      http: {
        paths: backends.map((b) => ({
          path: b.path,
          pathType: "Prefix",
          backend: { service: { name: b.serviceName, port: { number: b.port } } },
        })),
      },
    })),
    ...(tlsHosts.length === 0
      ? {}
      : { tls: tlsHosts.map((h) => ({ hosts: [h.host], secretName: h.tlsSecretName })) }),
  };
}

/**
 * The name of the HTTPS listener of one host: `https-` and the host with dots as hyphens, cut to
 * the 63 characters a listener name may have.
 */
export function listenerName(host: string): string {
  return `https-${host.replace(/\./g, "-")}`.slice(0, 63).replace(/-+$/, "");
}

/**
 * The spec of a Gateway API `ListenerSet` adding one HTTPS listener per TLS host to the platform's
 * Gateway, each terminating TLS with a certificate Secret of the workload's own namespace (so no
 * ReferenceGrant is needed). The Gateway must admit ListenerSets from this namespace
 * (`spec.allowedListeners`).
 */
export function listenerSetSpec(
  gateway: { readonly gatewayName: string; readonly gatewayNamespace: string },
  hosts: readonly RoutedHost[],
): Record<string, unknown> {
  return {
    parentRef: {
      group: "gateway.networking.k8s.io",
      kind: "Gateway",
      name: gateway.gatewayName,
      namespace: gateway.gatewayNamespace,
    },
    listeners: hosts
      .filter((h) => h.tlsSecretName !== undefined)
      .map((h) => ({
        name: listenerName(h.host),
        hostname: h.host,
        port: 443,
        protocol: "HTTPS",
        tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: h.tlsSecretName }] },
      })),
  };
}

/** The spec of an `HTTPRoute` sending each path prefix of the hosts to its Service. */
export function httpRouteSpec(
  parentRefs: readonly Record<string, pulumi.Input<string>>[],
  hosts: readonly RoutedHost[],
  backends: readonly PathBackend[],
): Record<string, unknown> {
  return {
    parentRefs,
    hostnames: hosts.map((h) => h.host),
    rules: backends.map((b) => ({
      matches: [{ path: { type: "PathPrefix", value: b.path } }],
      backendRefs: [{ kind: "Service", name: b.serviceName, port: b.port }],
    })),
  };
}

/**
 * The public address of a load balancer status (Ingress `status.loadBalancer`): the first IP, or
 * the first hostname (AWS-style load balancers), or undefined while none is assigned.
 */
export function loadBalancerAddress(
  status: { ingress?: { ip?: string; hostname?: string }[] } | undefined,
): string | undefined {
  const first = status?.ingress?.[0];
  return first?.ip ?? first?.hostname;
}

/** The public address of a Gateway API `Gateway` status: its first address, if any. */
export function gatewayAddress(
  status: { addresses?: { value?: string }[] } | undefined,
): string | undefined {
  return status?.addresses?.[0]?.value;
}

/** The DNS record that points a host at a public address. */
export interface DnsRecordToCreate {
  readonly name: string;
  readonly type: AddressRecordType;
  readonly content: string;
}

/**
 * The records an admin must create so that each host reaches `address`, of the type
 * {@link recordTypeFor} the address unless `type` says otherwise: the same rule the Cloudflare
 * records sitestack creates follow.
 */
export function dnsRecordsFor(
  hosts: readonly string[],
  address: string,
  type: AddressRecordType = recordTypeFor(address),
): DnsRecordToCreate[] {
  return hosts.map((name) => ({ name, type, content: address }));
}
