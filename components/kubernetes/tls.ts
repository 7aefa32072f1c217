/** Let's Encrypt's ACME directories. Staging certificates are not trusted by browsers. */
export const acmeServers = {
  production: "https://acme-v02.api.letsencrypt.org/directory",
  staging: "https://acme-staging-v02.api.letsencrypt.org/directory",
} as const;

/** Which Let's Encrypt environment issues certificates. */
export type AcmeEnvironment = keyof typeof acmeServers;

/**
 * The name of the per-namespace Issuer of an environment, e.g. `letsencrypt-production`. Fixed,
 * so `kubectl get certificate` tells at a glance which environment issued what, and switching
 * environments changes the Certificates' `issuerRef`, which makes cert-manager re-issue.
 */
export function issuerName(environment: AcmeEnvironment): string {
  return `letsencrypt-${environment}`;
}

/**
 * The spec of a namespaced cert-manager ACME Issuer: Let's Encrypt with `email` as the account
 * e-mail (expiry and policy notices go there), HTTP-01 answered through the same route the site
 * uses. The account key Secret is named per environment and never changes, so the ACME account is
 * registered once (Let's Encrypt allows 10 new accounts per IP per 3 hours).
 */
export function acmeIssuerSpec(
  email: string,
  environment: AcmeEnvironment,
  solver:
    | { readonly kind: "ingress"; readonly className: string }
    | { readonly kind: "gateway"; readonly gatewayName: string; readonly gatewayNamespace: string },
): Record<string, unknown> {
  return {
    acme: {
      server: acmeServers[environment],
      email,
      privateKeySecretRef: { name: `letsencrypt-${environment}-account-key` },
      solvers: [
        {
          http01:
            solver.kind === "ingress"
              ? { ingress: { ingressClassName: solver.className } }
              : {
                  gatewayHTTPRoute: {
                    parentRefs: [
                      {
                        group: "gateway.networking.k8s.io",
                        kind: "Gateway",
                        name: solver.gatewayName,
                        namespace: solver.gatewayNamespace,
                      },
                    ],
                  },
                },
        },
      ],
    },
  };
}

/**
 * The spec of a cert-manager Certificate for one host. One certificate per host on purpose: an
 * own domain whose DNS is not pointed yet must not block the test domain's certificate (a failed
 * HTTP-01 fails the whole order), and each host's renewals count only against its own Let's
 * Encrypt "exact set" limit (5 per week).
 */
export function certificateSpec(
  host: string,
  secretName: string,
  environment: AcmeEnvironment,
): Record<string, unknown> {
  return {
    secretName,
    dnsNames: [host],
    issuerRef: { group: "cert-manager.io", kind: "Issuer", name: issuerName(environment) },
    // A new key at each renewal: a leaked key stops being useful at the next renewal.
    privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
  };
}
