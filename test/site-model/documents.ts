import { stringify } from "yaml";

/** A valid document of each kind, as a user would write it (defaults left out). */
export function validDocument(
  kind: "BoxSite" | "App" | "HostRoute" | "Staging",
): Record<string, unknown> {
  switch (kind) {
    case "BoxSite":
      return {
        apiVersion: "sitestack/v1",
        kind: "BoxSite",
        metadata: { name: "acme" },
        spec: {
          siteId: 1042,
          code: "acme",
          domain: "acme.com.pe",
          techEmail: "tech@acme.com.pe",
          oidc: { clientId: "acme-box", clientSecret: { secret: "ACME_OIDC_CLIENT_SECRET" } },
          image: { repository: "ghcr.io/juntoz/jzbox" },
          themes: { source: "https://sitecentral.example.com/themes/1042" },
        },
      };
    case "App":
      return {
        apiVersion: "sitestack/v1",
        kind: "App",
        metadata: { name: "acme" },
        spec: {
          target: "kubernetes",
          ingress: { host: "fiufit.example.com" },
          services: {
            users: {
              image: "taller2fiuba/users:1.4.0",
              port: 8000,
              path: "/users",
              env: { MONGO_USER: "users" },
              secretEnv: { MONGO_PASSWORD: { secret: "USERS_MONGO_PASSWORD" } },
            },
            "metrics-consumer": { image: "taller2fiuba/metrics-consumer:0.7.0" },
          },
        },
      };
    case "HostRoute":
      return {
        apiVersion: "sitestack/v1",
        kind: "HostRoute",
        metadata: { name: "acme" },
        spec: {
          domain: "blog.marcosrgz.com",
          upstream: { host: "10.154.30.12", port: 3000 },
          publicIp: "203.0.113.40",
          host: {
            address: "203.0.113.40",
            user: "deploy",
            privateKey: { secret: "VPS_SSH_KEY" },
            trustOnFirstUse: true,
          },
          cloudflare: { zone: "marcosrgz.com" },
        },
      };
    case "Staging":
      return {
        apiVersion: "sitestack/v1",
        kind: "Staging",
        metadata: { name: "acme" },
        spec: { chart: "box", tag: "0.4.0-pr.42" },
      };
  }
}

/** A copy of `document` with the value at a dotted path set (or deleted when `value` is `undefined`). */
export function withField(
  document: Record<string, unknown>,
  path: string | readonly string[],
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(document);
  const keys = typeof path === "string" ? path.split(".") : [...path];
  let node = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** `document` as YAML text. */
export function yamlOf(document: unknown): string {
  return stringify(document);
}
