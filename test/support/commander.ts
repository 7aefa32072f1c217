/**
 * Helpers of the commander's tests: site documents as the API takes them (the JSON form of a site
 * file), and requests with a bearer token.
 */

/** A box site document named `name` (no Cloudflare record: engine runs here have no such provider). */
export function boxSiteDocument(
  name: string,
  overrides: { labels?: Record<string, string>; replicas?: number; secret?: string } = {},
): Record<string, unknown> {
  return {
    apiVersion: "sitestack/v1",
    kind: "BoxSite",
    metadata: { name, labels: overrides.labels ?? { team: "shops" } },
    spec: {
      // Unique per name: the commander refuses a siteId another site has (as validate does).
      siteId: [...name].reduce((id, char) => (id * 31 + char.charCodeAt(0)) % 900_000, 7) + 1000,
      code: name,
      domain: `${name}.com.pe`,
      techEmail: `tech@${name}.com.pe`,
      oidc: {
        clientId: `${name}-box`,
        clientSecret: { secret: overrides.secret ?? "BOX_OIDC_CLIENT_SECRET" },
      },
      image: { repository: "ghcr.io/juntoz/jzbox", tag: "0" },
      themes: { source: `https://sitecentral.juntoz.com/api/sites/${name}/themes`, interval: "5m" },
      replicas: overrides.replicas ?? 1,
    },
  };
}

/** Headers of a JSON request with a bearer token (and an idempotency key, when given). */
export function bearer(token: string, idempotencyKey?: string): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    ...(idempotencyKey === undefined ? {} : { "idempotency-key": idempotencyKey }),
  };
}
