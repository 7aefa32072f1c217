import { describe, expect, test } from "vitest";
import { parseSiteText } from "../../stacks/site-model/index.js";
import { validDocument, withField, yamlOf } from "./documents.js";

type Kind = "BoxSite" | "App" | "HostRoute" | "Staging";

/** Every problem of a document, as `path: message`, in file order. */
function problemsOf(document: unknown, fileName = "sites/acme.yaml"): string[] {
  const result = parseSiteText(yamlOf(document), fileName);
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

const secretAdvice =
  "must be a secret reference {secret: NAME}, not a plain value: secret values never go in site files. Store the value with `sitestack secret set <site> NAME` (encrypted stack config) or, in CI, in the environment variable SITESTACK_SECRET_NAME, then write {secret: NAME} here";
const secretNameAdvice =
  "must name an upper-case variable like ACME_OIDC_CLIENT_SECRET (A-Z, 0-9 and _, starting with a letter); the given value is not shown, as it may be the secret itself";

describe("valid documents", () => {
  test.each<Kind>(["BoxSite", "App", "HostRoute", "Staging"])("accepts a minimal %s", (kind) => {
    expect(problemsOf(validDocument(kind))).toEqual([]);
  });

  test("fills BoxSite defaults", () => {
    const result = parseSiteText(yamlOf(validDocument("BoxSite")), "acme.yaml");
    expect(result.ok && result.spec.kind === "BoxSite" && result.spec.spec).toMatchObject({
      image: { repository: "ghcr.io/juntoz/jzbox", tag: "0" },
      themes: { interval: "5m" },
      replicas: 1,
    });
    // Left out, the box gets the platform file's resources, else the box defaults (the program's).
    expect(result.ok && result.spec.kind === "BoxSite" && result.spec.spec.resources).toBe(
      undefined,
    );
  });

  test("accepts a BoxSite DNS record without a zone: the zone is the site's domain", () => {
    const document = withField(validDocument("BoxSite"), "spec.dns", { cloudflare: {} });
    expect(problemsOf(document)).toEqual([]);
  });

  test("accepts a HostRoute without a zone: the zone is the domain's registrable domain", () => {
    const document = withField(validDocument("HostRoute"), "spec.cloudflare", { sslMode: "full" });
    expect(problemsOf(document)).toEqual([]);
  });

  test("accepts a HostRoute that pins the host key instead of trusting on first use", () => {
    const pinned = withField(
      withField(validDocument("HostRoute"), "spec.host.trustOnFirstUse", undefined),
      "spec.host.hostKey",
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFplOx34EYGepAtjaevUJzBEoumUK+BRNxRyikZeW5CM root@vps",
    );
    const result = parseSiteText(yamlOf(pinned), "acme.yaml");
    expect(result.ok && result.spec.kind === "HostRoute" && result.spec.spec.host).toMatchObject({
      hostKey:
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFplOx34EYGepAtjaevUJzBEoumUK+BRNxRyikZeW5CM root@vps",
      trustOnFirstUse: false,
    });
  });

  test("defaults HostRoute cloudflare to proxied with strict SSL and SSH port 22", () => {
    const result = parseSiteText(yamlOf(validDocument("HostRoute")), "acme.yaml");
    expect(result.ok && result.spec.kind === "HostRoute" && result.spec.spec).toMatchObject({
      cloudflare: { zone: "marcosrgz.com", proxied: true, sslMode: "strict" },
      host: { port: 22 },
    });
  });
});

// [rule, kind, field path, value (undefined deletes), expected problems]
const rules: [string, Kind, string | string[], unknown, string[]][] = [
  // envelope
  [
    "rejects another apiVersion",
    "BoxSite",
    "apiVersion",
    "sitestack/v2",
    ['apiVersion: must be "sitestack/v1", got "sitestack/v2"'],
  ],
  [
    "requires apiVersion",
    "BoxSite",
    "apiVersion",
    undefined,
    ['apiVersion: is required ("sitestack/v1")'],
  ],
  [
    "rejects an unknown kind",
    "BoxSite",
    "kind",
    "Website",
    ['kind: must be one of "BoxSite", "App", "HostRoute" or "Staging", got "Website"'],
  ],
  [
    "requires kind",
    "BoxSite",
    "kind",
    undefined,
    ['kind: is required (one of "BoxSite", "App", "HostRoute" or "Staging")'],
  ],
  [
    "rejects unknown top-level fields",
    "BoxSite",
    "status",
    "ok",
    ['status: unknown field "status"; allowed fields: apiVersion, kind, metadata, spec'],
  ],
  [
    "rejects a name that is not a DNS label",
    "BoxSite",
    "metadata.name",
    "Acme_Shop",
    [
      'metadata.name: must be a lowercase DNS label (letters a-z, digits and inner hyphens, at most 63 characters) like "acme", got "Acme_Shop"',
      'metadata.name: must equal the file name "acme" (acme.yaml), got "Acme_Shop"',
    ],
  ],
  [
    "requires the name to equal the file name",
    "BoxSite",
    "metadata.name",
    "other",
    ['metadata.name: must equal the file name "acme" (acme.yaml), got "other"'],
  ],
  [
    "rejects non-string label values",
    "BoxSite",
    "metadata.labels",
    { team: 3 },
    ["metadata.labels.team: must be a string, got the number 3"],
  ],
  [
    "rejects bad label keys",
    "BoxSite",
    "metadata.labels",
    { "-team": "x" },
    [
      'metadata.labels["-team"]: invalid name: must be a label key like "team" or "acme.com/team", got "-team"',
    ],
  ],
  [
    "rejects unknown metadata fields",
    "BoxSite",
    "metadata.namespace",
    "x",
    ['metadata.namespace: unknown field "namespace"; allowed fields: name, labels'],
  ],
  // BoxSite
  [
    "rejects a negative siteId",
    "BoxSite",
    "spec.siteId",
    -3,
    ["spec.siteId: must be a positive whole number (at most 9007199254740991), got the number -3"],
  ],
  [
    "rejects a fractional siteId",
    "BoxSite",
    "spec.siteId",
    1.5,
    ["spec.siteId: must be a positive whole number (at most 9007199254740991), got the number 1.5"],
  ],
  [
    "rejects a string siteId",
    "BoxSite",
    "spec.siteId",
    "1042",
    ['spec.siteId: must be a number, got "1042"'],
  ],
  ["requires siteId", "BoxSite", "spec.siteId", undefined, ["spec.siteId: is required (a number)"]],
  [
    "rejects an upper-case code",
    "BoxSite",
    "spec.code",
    "ACME",
    [
      'spec.code: must be 1 to 20 lowercase letters, digits and inner hyphens like "acme", got "ACME"',
    ],
  ],
  [
    "rejects a long code",
    "BoxSite",
    "spec.code",
    "a".repeat(21),
    [
      `spec.code: must be 1 to 20 lowercase letters, digits and inner hyphens like "acme", got "${"a".repeat(21)}"`,
    ],
  ],
  [
    "rejects www. domains",
    "BoxSite",
    "spec.domain",
    "www.acme.com",
    ['spec.domain: must be the naked domain "acme.com", got "www.acme.com"'],
  ],
  [
    "rejects subdomains",
    "BoxSite",
    "spec.domain",
    "shop.acme.com.pe",
    [
      'spec.domain: must be the naked domain "acme.com.pe", not a subdomain, got "shop.acme.com.pe"',
    ],
  ],
  [
    "rejects domains with a scheme",
    "BoxSite",
    "spec.domain",
    "https://acme.com",
    ['spec.domain: must be a bare domain like "acme.com" without a scheme, got "https://acme.com"'],
  ],
  [
    "rejects domains with a path",
    "BoxSite",
    "spec.domain",
    "acme.com/shop",
    ['spec.domain: must be a bare domain like "acme.com" without a path, got "acme.com/shop"'],
  ],
  [
    "rejects domains with a port",
    "BoxSite",
    "spec.domain",
    "acme.com:8443",
    ['spec.domain: must be a bare domain like "acme.com" without a port, got "acme.com:8443"'],
  ],
  [
    "rejects IP addresses as domains",
    "BoxSite",
    "spec.domain",
    "203.0.113.7",
    ['spec.domain: must be a domain name like "acme.com", not an IP address, got "203.0.113.7"'],
  ],
  [
    "rejects upper-case domains",
    "BoxSite",
    "spec.domain",
    "Acme.com",
    ['spec.domain: must be lowercase (write "acme.com"), got "Acme.com"'],
  ],
  [
    "rejects public suffixes as domains",
    "BoxSite",
    "spec.domain",
    "com.pe",
    [
      'spec.domain: must be a registrable domain like "acme.com", not a public suffix, got "com.pe"',
    ],
  ],
  [
    "rejects unknown top-level domains",
    "BoxSite",
    "spec.domain",
    "acme.shopx",
    ['spec.domain: must end in a public suffix such as ".com" or ".com.pe", got "acme.shopx"'],
  ],
  [
    "rejects a bad e-mail",
    "BoxSite",
    "spec.techEmail",
    "tech.acme.com",
    ['spec.techEmail: must be an e-mail address like "tech@acme.com", got "tech.acme.com"'],
  ],
  [
    "rejects a plain client secret without echoing it",
    "BoxSite",
    "spec.oidc.clientSecret",
    "s3cr3t-value",
    [`spec.oidc.clientSecret: ${secretAdvice}`],
  ],
  [
    "rejects a lower-case secret name",
    "BoxSite",
    "spec.oidc.clientSecret",
    { secret: "acme_oidc" },
    [`spec.oidc.clientSecret.secret: ${secretNameAdvice}`],
  ],
  [
    "rejects a secret value typed where the name goes without echoing it",
    "BoxSite",
    "spec.oidc.clientSecret",
    { secret: "sk_live_51HqLyjWDarjtT1zdp7dc" },
    [`spec.oidc.clientSecret.secret: ${secretNameAdvice}`],
  ],
  [
    "rejects a number typed where the secret name goes without echoing it",
    "BoxSite",
    "spec.oidc.clientSecret",
    { secret: 918273 },
    [`spec.oidc.clientSecret.secret: ${secretNameAdvice}`],
  ],
  [
    "rejects extra fields in a secret reference without naming them",
    "BoxSite",
    "spec.oidc.clientSecret",
    { secret: "A", value: "x", sk_live_51HqLyjWDarjtT1zdp7dc: true },
    [
      "spec.oidc.clientSecret: a secret reference has only the field secret, like {secret: ACME_OIDC_CLIENT_SECRET}; other fields are not shown, as they may hold the secret itself",
    ],
  ],
  [
    "requires the OIDC client id",
    "BoxSite",
    "spec.oidc.clientId",
    undefined,
    ["spec.oidc.clientId: is required (a string)"],
  ],
  [
    "rejects non-semver image tags",
    "BoxSite",
    "spec.image.tag",
    "latest",
    [
      'spec.image.tag: must be a semver tag "MAJOR", "MAJOR.MINOR" or "MAJOR.MINOR.PATCH" like "0", "0.1" or "0.1.3", got "latest"',
    ],
  ],
  [
    "rejects a tag inside the repository",
    "BoxSite",
    "spec.image.repository",
    "jzbox:0",
    [
      'spec.image.repository: must be a lowercase image repository without a tag like "ghcr.io/juntoz/jzbox" (the tag goes in its own field), got "jzbox:0"',
    ],
  ],
  [
    "rejects non-http theme sources",
    "BoxSite",
    "spec.themes.source",
    "ftp://themes.example.com",
    [
      'spec.themes.source: must be an http:// or https:// URL like "https://central.example.net/themes", got "ftp://themes.example.com"',
    ],
  ],
  [
    "rejects other sync intervals",
    "BoxSite",
    "spec.themes.interval",
    "2m",
    ['spec.themes.interval: must be one of "1m" or "5m", got "2m"'],
  ],
  [
    "rejects a plain Redis URL",
    "BoxSite",
    "spec.themes.pubsub",
    { channel: "themes", redisUrl: "redis://:pw@redis:6379" },
    [`spec.themes.pubsub.redisUrl: ${secretAdvice}`],
  ],
  [
    "requires the DNS zone to be the site's domain",
    "BoxSite",
    "spec.dns",
    { cloudflare: { zone: "acme.com" } },
    [
      'spec.dns.cloudflare.zone: must be the site\'s domain "acme.com.pe" (the record is created at the zone apex), got "acme.com"',
    ],
  ],
  [
    "rejects zero replicas for a box",
    "BoxSite",
    "spec.replicas",
    0,
    ["spec.replicas: must be a whole number from 1 to 100, got the number 0"],
  ],
  [
    "rejects a memory request above the limit",
    "BoxSite",
    "spec.resources",
    { requests: { memory: "1Gi" } },
    ['spec.resources.requests.memory: must not exceed limits.memory (512Mi), got "1Gi"'],
  ],
  [
    "rejects CPU quantities without units it knows",
    "BoxSite",
    "spec.resources",
    { requests: { cpu: "250mc" } },
    [
      'spec.resources.requests.cpu: must be a CPU quantity like "250m" (millicores) or "1" (cores), got "250mc"',
    ],
  ],
  [
    "rejects decimal memory units",
    "BoxSite",
    "spec.resources",
    { limits: { memory: "512MB" } },
    [
      'spec.resources.limits.memory: must be a memory quantity with a binary unit like "256Mi" or "1Gi", got "512MB"',
    ],
  ],
  [
    "rejects unknown BoxSite fields",
    "BoxSite",
    "spec.routing",
    "nginx",
    [
      'spec.routing: unknown field "routing"; allowed fields: siteId, code, domain, techEmail, oidc, image, themes, dns, replicas, resources, cluster, readinessTimeout',
    ],
  ],
  // App
  [
    "requires a target",
    "App",
    "spec.target",
    undefined,
    ['spec.target: is required (one of "kubernetes" or "azure-container-apps")'],
  ],
  [
    "rejects unknown targets",
    "App",
    "spec.target",
    "nomad",
    ['spec.target: must be one of "kubernetes" or "azure-container-apps", got "nomad"'],
  ],
  [
    "requires at least one service",
    "App",
    "spec",
    { target: "kubernetes", services: {} },
    ["spec.services: must have at least one service"],
  ],
  [
    "rejects service names that are not DNS labels",
    "App",
    "spec.services.Users_Api",
    { image: "u:1" },
    [
      'spec.services.Users_Api: invalid name: must be a lowercase DNS label (letters a-z, digits and inner hyphens, at most 63 characters) like "acme", got "Users_Api"',
    ],
  ],
  [
    "rejects images without a tag",
    "App",
    "spec.services.users.image",
    "taller2fiuba/users",
    [
      'spec.services.users.image: must be an image reference with a tag or digest like "taller2fiuba/users:1.4.0", got "taller2fiuba/users"',
    ],
  ],
  [
    "rejects ports out of range",
    "App",
    "spec.services.users.port",
    70000,
    ["spec.services.users.port: must be a whole number from 1 to 65535, got the number 70000"],
  ],
  [
    "rejects lower-case env names",
    "App",
    "spec.services.users.env",
    { mongo_user: "x" },
    [
      'spec.services.users.env.mongo_user: invalid name: must be an upper-case environment variable name (A-Z, 0-9 and _, not starting with a digit) like "MONGO_USER", got "mongo_user"',
    ],
  ],
  [
    "rejects unquoted numbers in env",
    "App",
    "spec.services.users.env",
    { PORT: 8000 },
    [
      'spec.services.users.env.PORT: must be a string (quote numbers and booleans: "8080", "true"), got the number 8000',
    ],
  ],
  [
    "rejects a plain value in secretEnv",
    "App",
    "spec.services.users.secretEnv",
    { MONGO_PASSWORD: "pw" },
    [`spec.services.users.secretEnv.MONGO_PASSWORD: ${secretAdvice}`],
  ],
  [
    "rejects a name in both env and secretEnv",
    "App",
    "spec.services.users.secretEnv",
    { MONGO_USER: { secret: "U" } },
    [
      "spec.services.users.secretEnv.MONGO_USER: becomes USERS_MONGO_USER, which env.MONGO_USER already sets; keep only one of them",
    ],
  ],
  [
    "rejects names that collide after prefixing",
    "App",
    "spec.services.users.env",
    { MONGO_USER: "a", USERS_MONGO_USER: "b" },
    [
      "spec.services.users.env.USERS_MONGO_USER: becomes USERS_MONGO_USER, which env.MONGO_USER already sets; keep only one of them",
    ],
  ],
  [
    "rejects a path on a worker",
    "App",
    "spec.services.metrics-consumer.path",
    "/metrics",
    [
      'spec.services.metrics-consumer.path: needs port: a worker without a port cannot be routed, got "/metrics"',
    ],
  ],
  [
    "rejects paths that do not start with a slash",
    "App",
    "spec.services.users.path",
    "users",
    [
      'spec.services.users.path: must be a path like "/users": "/" followed by letters, digits, ".", "_", "~", "-" and "/", got "users"',
    ],
  ],
  [
    "rejects two services on one path",
    "App",
    "spec.services.goals",
    { image: "g:1", port: 8080, path: "/users" },
    ['spec.services.goals.path: is already routed to service "users", got "/users"'],
  ],
  [
    "requires an ingress when a service has a path",
    "App",
    "spec.ingress",
    undefined,
    ['spec.services.users.path: needs ingress.host to be routed under, got "/users"'],
  ],
  [
    "rejects an ingress with no routed service",
    "App",
    "spec.services.users.path",
    undefined,
    ["spec.ingress: is set but no service has a path to route to it"],
  ],
  [
    "rejects an ingress host with a scheme",
    "App",
    "spec.ingress.host",
    "https://fiufit.example.com",
    [
      'spec.ingress.host: must be a bare domain like "app.example.com" without a scheme, got "https://fiufit.example.com"',
    ],
  ],
  [
    "requires azure settings for Azure Container Apps",
    "App",
    "spec.target",
    "azure-container-apps",
    [
      "spec.azure: is required when target is azure-container-apps (resourceGroup, location, registry)",
    ],
  ],
  [
    "rejects azure settings on Kubernetes",
    "App",
    "spec.azure",
    {
      resourceGroup: "rg",
      location: "eastus2",
      registry: { existing: { name: "chefcitoprod", resourceGroup: "rg" } },
    },
    ["spec.azure: is only allowed when target is azure-container-apps"],
  ],
  [
    "rejects a plain registry password",
    "App",
    "spec.registry",
    { server: "chefcito.azurecr.io", username: "chefcito", password: "pw" },
    [`spec.registry.password: ${secretAdvice}`],
  ],
  [
    "allows a cluster only on Kubernetes",
    "App",
    "spec",
    {
      target: "azure-container-apps",
      cluster: "prod",
      services: { api: { image: "chefcito/api:1.0.0", port: 8000 } },
      azure: {
        resourceGroup: "chefcito-rg",
        location: "eastus2",
        registry: { create: { name: "chefcitoprod" } },
      },
    },
    ["spec.cluster: is only allowed when target is kubernetes"],
  ],
  // HostRoute
  [
    "rejects Cloudflare's flexible SSL mode with the reason",
    "HostRoute",
    "spec.cloudflare.sslMode",
    "flexible",
    [
      'spec.cloudflare.sslMode: must be "full" or "strict"; "flexible" is not allowed: it leaves the Cloudflare-to-origin leg unencrypted and, with an origin that redirects port 80 to https, loops redirects forever. Use "strict" (Cloudflare Origin CA certificate, the default) or "full" (self-signed origin certificate)',
    ],
  ],
  [
    "rejects unknown SSL modes",
    "HostRoute",
    "spec.cloudflare.sslMode",
    "off",
    ['spec.cloudflare.sslMode: must be "full" or "strict", got "off"'],
  ],
  [
    "requires the domain to be in the zone",
    "HostRoute",
    "spec.domain",
    "blog.example.com",
    [
      'spec.domain: must be the zone apex "marcosrgz.com" or a name ending in ".marcosrgz.com", got "blog.example.com"',
    ],
  ],
  [
    "rejects a bad upstream address",
    "HostRoute",
    "spec.upstream.host",
    "10.0.0.300:80",
    [
      'spec.upstream.host: must be an IP address like "10.0.3.15" or a host name with a domain like "web1.lxd" (has an invalid label "300:80": use 1-63 of a-z, 0-9, "-" and "_", not starting or ending with "-"), got "10.0.0.300:80"',
    ],
  ],
  [
    "rejects a public IP that is not an IP",
    "HostRoute",
    "spec.publicIp",
    "vps.example.com",
    ['spec.publicIp: must be an IPv4 or IPv6 address like "203.0.113.40", got "vps.example.com"'],
  ],
  [
    "rejects a plain private key",
    "HostRoute",
    "spec.host.privateKey",
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    [`spec.host.privateKey: ${secretAdvice}`],
  ],
  [
    "rejects a bad SSH user",
    "HostRoute",
    "spec.host.user",
    "Deploy User",
    ['spec.host.user: must be a Unix user name like "deploy", got "Deploy User"'],
  ],
  [
    "requires a pinned host key unless trust on first use is chosen",
    "HostRoute",
    "spec.host.trustOnFirstUse",
    undefined,
    [
      "spec.host.hostKey: is required: pin the VPS's SSH host key (the line of /etc/ssh/ssh_host_ed25519_key.pub on the VPS, read over a channel you trust), or set trustOnFirstUse: true to accept the key the VPS presents on the first connection and pin that one from then on",
    ],
  ],
  [
    "rejects trustOnFirstUse: false without a host key",
    "HostRoute",
    "spec.host.trustOnFirstUse",
    false,
    [
      "spec.host.hostKey: is required: pin the VPS's SSH host key (the line of /etc/ssh/ssh_host_ed25519_key.pub on the VPS, read over a channel you trust), or set trustOnFirstUse: true to accept the key the VPS presents on the first connection and pin that one from then on",
    ],
  ],
  [
    "rejects a host key together with trust on first use",
    "HostRoute",
    "spec.host.hostKey",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFplOx34EYGepAtjaevUJzBEoumUK+BRNxRyikZeW5CM",
    [
      "spec.host.trustOnFirstUse: must not be true when hostKey is set: the pinned key is checked from the first connection",
    ],
  ],
  [
    "rejects a host key that is not a public key line",
    "HostRoute",
    "spec.host.hostKey",
    "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
    [
      "spec.host.trustOnFirstUse: must not be true when hostKey is set: the pinned key is checked from the first connection",
      'spec.host.hostKey: must start with a host key type, one of ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, got "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMp…"',
    ],
  ],
  [
    "rejects a non-boolean trustOnFirstUse",
    "HostRoute",
    "spec.host.trustOnFirstUse",
    "yes",
    [
      "spec.host.hostKey: is required: pin the VPS's SSH host key (the line of /etc/ssh/ssh_host_ed25519_key.pub on the VPS, read over a channel you trust), or set trustOnFirstUse: true to accept the key the VPS presents on the first connection and pin that one from then on",
      'spec.host.trustOnFirstUse: must be true or false, got "yes"',
    ],
  ],
  [
    "rejects a non-boolean proxied",
    "HostRoute",
    "spec.cloudflare.proxied",
    "yes",
    ['spec.cloudflare.proxied: must be true or false, got "yes"'],
  ],
  // Staging
  [
    "rejects chart paths with a slash",
    "Staging",
    "spec.chart",
    "../box",
    ['spec.chart: must be a folder name directly under charts/, without "/", got "../box"'],
  ],
  [
    "rejects the parent folder as chart",
    "Staging",
    "spec.chart",
    "..",
    ['spec.chart: must be a folder name under charts/, not ".."'],
  ],
  [
    "rejects chart names with other characters",
    "Staging",
    "spec.chart",
    "Box Chart",
    [
      'spec.chart: must be a chart folder name of lowercase letters, digits, ".", "_" and "-" (at most 63) like "box", got "Box Chart"',
    ],
  ],
  [
    "rejects bad tags",
    "Staging",
    "spec.tag",
    "-x",
    [
      'spec.tag: must be an image tag (letters, digits, "_", "." and "-", at most 128) like "1.4.0" or "pr-42", got "-x"',
    ],
  ],
  [
    "rejects ttl without unit",
    "Staging",
    "spec.ttl",
    "72",
    ['spec.ttl: must be a duration in hours or days like "72h" or "7d", got "72"'],
  ],
  [
    "rejects a plain secret value",
    "Staging",
    ["spec", "secretValues", "db.password"],
    "pw",
    [`spec.secretValues["db.password"]: ${secretAdvice}`],
  ],
  [
    "rejects secret value paths that are not dotted paths",
    "Staging",
    ["spec", "secretValues", "db..password"],
    { secret: "DB" },
    [
      'spec.secretValues["db..password"]: invalid name: must be a dotted value path like "db.password", got "db..password"',
    ],
  ],
  ["accepts free-form staging values", "Staging", "spec.values", { db: { password: "x" } }, []],
  [
    "rejects app overrides that are not maps",
    "Staging",
    "spec.appOverrides",
    { box: 3 },
    ["spec.appOverrides.box: must be a map, got the number 3"],
  ],
];

/** A valid App on Azure Container Apps: the minimal App with its target and Azure settings. */
function azureApp(): Record<string, unknown> {
  return withField(
    withField(validDocument("App"), "spec.target", "azure-container-apps"),
    "spec.azure",
    {
      resourceGroup: "rg-chefcito-prod",
      location: "eastus2",
      registry: { existing: { name: "chefcitoprod", resourceGroup: "chefcito-rg" } },
      hostBinding: "none",
    },
  );
}

const hostBindingSteps =
  '"none" until the DNS records of the stack output customDomainRecords exist, then "hostname" (adds the host to the app and requests the managed certificate), then "certificate" (serves the host with it), one up each';

const registryAdvice =
  "adopt a registry that exists with existing: {name, resourceGroup}, or let the stack create and own one with create: {name}";

describe("App on Azure Container Apps", () => {
  test("accepts an adopted registry and a created one, with the Basic tier by default", () => {
    expect(problemsOf(azureApp())).toEqual([]);
    const created = withField(azureApp(), "spec.azure.registry", {
      create: { name: "chefcitostaging" },
    });
    const result = parseSiteText(yamlOf(created), "acme.yaml");
    expect(result.ok && result.spec.kind === "App" && result.spec.spec.azure?.registry).toEqual({
      create: { name: "chefcitostaging", sku: "Basic" },
    });
  });

  test.each<[string, string | string[], unknown, string[]]>([
    [
      "requires the registry",
      "spec.azure.registry",
      undefined,
      [`spec.azure.registry: is required: ${registryAdvice}`],
    ],
    [
      "requires a choice between existing and create",
      "spec.azure.registry",
      {},
      [
        "spec.azure.registry: must have existing (adopt a registry that exists, never created or deleted) or create (a registry the stack creates and owns)",
      ],
    ],
    [
      "refuses one registry both adopted and created",
      "spec.azure.registry.create",
      { name: "chefcitoprod" },
      [
        "spec.azure.registry: must have either existing or create, not both: a registry is adopted or owned",
      ],
    ],
    [
      "needs the group of an adopted registry",
      "spec.azure.registry.existing.resourceGroup",
      undefined,
      ["spec.azure.registry.existing.resourceGroup: is required (a string)"],
    ],
    [
      "checks registry names with the component's rule",
      "spec.azure.registry.existing.name",
      "chefcito-prod",
      [
        'spec.azure.registry.existing.name: must be 5 to 50 letters and digits (it becomes <name>.azurecr.io), got "chefcito-prod"',
      ],
    ],
    [
      "checks the adopted registry's group with the component's rule",
      "spec.azure.registry.existing.resourceGroup",
      "rg.",
      [
        'spec.azure.registry.existing.resourceGroup: must be 1 to 90 letters, digits, "_", "-", ".", "(" or ")", not ending with ".", got "rg."',
      ],
    ],
    [
      "refuses a retired registry tier",
      "spec.azure.registry",
      { create: { name: "chefcitostaging", sku: "Classic" } },
      [
        'spec.azure.registry.create.sku: must be one of "Basic", "Standard" or "Premium", got "Classic"',
      ],
    ],
    [
      "refuses an Azure registry pulled with a password",
      "spec.registry",
      {
        server: "chefcitoprod.azurecr.io",
        username: "chefcitoprod",
        password: { secret: "CHEFCITO_REGISTRY_PASSWORD" },
      },
      [
        'spec.registry.server: must be a registry outside Azure: an Azure Container Registry is the app\'s own registry (azure.registry in a site file: existing or create), pulled through a managed identity without a password, got "chefcitoprod.azurecr.io"',
      ],
    ],
    [
      "requires the binding step of the ingress host",
      "spec.azure.hostBinding",
      undefined,
      [
        `spec.azure.hostBinding: is required with a custom host (spec.ingress.host): ${hostBindingSteps}`,
      ],
    ],
    [
      "refuses an unknown binding step",
      "spec.azure.hostBinding",
      "auto",
      ['spec.azure.hostBinding: must be "none", "hostname" or "certificate", got "auto"'],
    ],
    [
      "refuses a second public service, since the host binds to one Container App",
      "spec.services.goals",
      { image: "taller2fiuba/goals:1.0.0", port: 8000, path: "/goals" },
      [
        'spec.services.goals.path: on azure-container-apps only one service can have a path: spec.ingress.host is bound to one Container App and there is no shared path router; service "users" has one, so give this service a port only (the others reach it as http://goals)',
      ],
    ],
    [
      "accepts a registry outside Azure with its password",
      "spec.registry",
      { server: "ghcr.io", username: "chefcito", password: { secret: "GHCR_TOKEN" } },
      [],
    ],
  ])("%s", (_rule, path, value, expected) => {
    expect(problemsOf(withField(azureApp(), path, value))).toEqual(expected);
  });

  test("refuses a binding step without an ingress host", () => {
    const workersOnly = withField(
      withField(azureApp(), "spec.ingress", undefined),
      "spec.services.users.path",
      undefined,
    );
    expect(problemsOf(workersOnly)).toEqual([
      "spec.azure.hostBinding: is only allowed with a custom host (spec.ingress.host)",
    ]);
  });
});

describe("rules", () => {
  test.each(rules)("%s", (_rule, kind, path, value, expected) => {
    expect(problemsOf(withField(validDocument(kind), path, value))).toEqual(expected);
  });

  test("rejects a value set both plain and secret in a staging", () => {
    const document = withField(
      withField(validDocument("Staging"), "spec.values", { db: { password: "x" } }),
      ["spec", "secretValues", "db.password"],
      { secret: "DB_PASSWORD" },
    );
    expect(problemsOf(document)).toEqual([
      'spec.secretValues["db.password"]: is also set in values; a value is either plain or secret',
    ]);
  });

  test("rejects a document that is not a map", () => {
    expect(problemsOf(["a", "b"])).toEqual([
      ": a site file must be a map with apiVersion, kind, metadata and spec, got a list",
    ]);
  });

  test("does not quote back a file of plain text (say, /etc/passwd given by mistake)", () => {
    expect(problemsOf("root:x:0:0:root:/root:/bin/bash")).toEqual([
      ": a site file must be a map with apiVersion, kind, metadata and spec, got plain text",
    ]);
  });
});
