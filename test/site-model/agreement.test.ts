import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CliIo } from "../../stacks/io.js";
import { runCli } from "../../stacks/cli/main.js";
import { formatPath, parseSiteText, type SiteSpec } from "../../stacks/site-model/index.js";
import { validDocument, withField, yamlOf } from "./documents.js";
import { renderProblem } from "./render-site.js";

// validate and up agree: each case below was accepted by validate and refused by up (or rendered
// into something nginx or Azure cannot use). Now validate refuses it, with exit 2 and
// file:line:col, for the same reason the component refuses it; or both accept it and it renders.

type Document = Record<string, unknown>;

const boxWithDns = () =>
  withField(validDocument("BoxSite"), "spec.dns", { cloudflare: { zone: "acme.com.pe" } });
const boxWithPubsub = () =>
  withField(validDocument("BoxSite"), "spec.themes.pubsub", {
    channel: "themes",
    redisUrl: { secret: "ACME_REDIS_URL" },
  });
const azureApp = () =>
  withField(withField(validDocument("App"), "spec.target", "azure-container-apps"), "spec.azure", {
    resourceGroup: "chefcito-rg",
    location: "eastus2",
    registry: { create: { name: "chefcitoprod" } },
    hostBinding: "certificate",
  });
/** An Azure app with a second public service, `payments`, that has a port but no path yet. */
const azureWithPayments = () =>
  withField(azureApp(), "spec.services.payments", {
    image: "taller2fiuba/payments:2.0.0",
    port: 8000,
  });
const ed25519HostKey =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFplOx34EYGepAtjaevUJzBEoumUK+BRNxRyikZeW5CM root@vps";
/** A route that pins the VPS's host key instead of trusting it on first use. */
const pinnedRoute = () =>
  withField(
    withField(validDocument("HostRoute"), "spec.host.trustOnFirstUse", undefined),
    "spec.host.hostKey",
    ed25519HostKey,
  );
/** An Azure app that adopts an existing registry. */
const azureAdopting = () =>
  withField(azureApp(), "spec.azure.registry", {
    existing: { name: "chefcitoprod", resourceGroup: "chefcito-rg" },
  });
const withRegistry = (document: Document) =>
  withField(document, "spec.registry", {
    server: "registry.example.com:5000",
    username: "ci",
    password: { secret: "REGISTRY_PASSWORD" },
  });

/** A document whose `metadata.name` (and so its file name) is `name`. */
const named = (document: Document, name: string) => withField(document, "metadata.name", name);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sitestack-agree-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `sitestack validate` on `document` written to `<dir>/<metadata.name>.yaml`. */
async function validate(document: Document) {
  const name = (document.metadata as { name: string }).name;
  const file = join(dir, `${name}.yaml`);
  const text = yamlOf(document);
  writeFileSync(file, text);
  let stdout = "";
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: () => undefined, env: {} };
  const code = await runCli(["validate", file], io);
  return { code, stdout, file, text };
}

/** The parsed spec of `document` with `path` set to `value` after parsing, as up would get it. */
function specWith(base: Document, path: string, value: unknown): SiteSpec {
  const result = parseSiteText(yamlOf(base), "sites/x.yaml", { matchFileName: false });
  if (!result.ok) throw new Error(`base is invalid: ${JSON.stringify(result.problems)}`);
  return withField(result.spec as unknown as Document, path, value) as unknown as SiteSpec;
}

// [case, base document, field, value, validate's message, part of the component's message]
const refused: [string, () => Document, string, unknown, string, string][] = [
  [
    "an unproxied route",
    () => validDocument("HostRoute"),
    "spec.cloudflare.proxied",
    false,
    "must be true: the origin certificate is trusted by Cloudflare only, so visitors reaching the VPS directly would get certificate errors, got the boolean false",
    "cloudflare.proxied must be true",
  ],
  [
    "an upstream host without a domain",
    () => validDocument("HostRoute"),
    "spec.upstream.host",
    "web1",
    'must be an IP address like "10.0.3.15" or a host name with a domain like "web1.lxd" (must have at least two labels, like "acme.com"), got "web1"',
    "upstream.host must be an IP address",
  ],
  [
    "an SSH address without a domain",
    () => validDocument("HostRoute"),
    "spec.host.address",
    "vps",
    'must be an IP address like "10.0.3.15" or a host name with a domain like "web1.lxd" (must have at least two labels, like "acme.com"), got "vps"',
    "ssh.host must be an IP address",
  ],
  [
    "an upstream label longer than 63 characters",
    () => validDocument("HostRoute"),
    "spec.upstream.host",
    `${"a".repeat(64)}.lxd`,
    `must be an IP address like "10.0.3.15" or a host name with a domain like "web1.lxd" (has an invalid label "${"a".repeat(64)}": use 1-63 of a-z, 0-9, "-" and "_", not starting or ending with "-"), got "${"a".repeat(60)}…"`,
    "upstream.host must be an IP address",
  ],
  [
    "an upstream name longer than 253 characters",
    () => validDocument("HostRoute"),
    "spec.upstream.host",
    `${"a.".repeat(127)}lxd`,
    `must be an IP address like "10.0.3.15" or a host name with a domain like "web1.lxd" (must be at most 253 characters long), got "${"a.".repeat(30)}…"`,
    "upstream.host must be an IP address",
  ],
  [
    "an upstream IPv6 address with a zone id",
    () => validDocument("HostRoute"),
    "spec.upstream.host",
    "fe80::1%eth0",
    'must be an IP address without a zone id ("%eth0"): a link-local address only means something on one machine, and nginx and DNS cannot use it; give a global or private address, got "fe80::1%eth0"',
    "upstream.host must be an IP address without a zone id",
  ],
  [
    "a public IPv6 address with a zone id",
    () => validDocument("HostRoute"),
    "spec.publicIp",
    "2001:db8::40%eth0",
    'must be an IP address without a zone id ("%eth0"): a link-local address only means something on one machine, and nginx and DNS cannot use it; give a global or private address, got "2001:db8::40%eth0"',
    "publicIp must be an IP address without a zone id",
  ],
  [
    "a zone that is not a naked domain",
    () => validDocument("HostRoute"),
    "spec.cloudflare.zone",
    "blog.marcosrgz.com",
    'must be the naked domain "marcosrgz.com", not a subdomain, got "blog.marcosrgz.com"',
    "cloudflare.zone.name must be the naked domain",
  ],
  [
    "a route name too long for the DNS record's comment",
    () => validDocument("HostRoute"),
    "metadata.name",
    "r".repeat(39),
    `is too long (39 characters): the stack name "site-${"r".repeat(39)}" must be at most 43 characters long: it is written in the comment of each DNS record, which Cloudflare limits to 100 characters; a HostRoute with a DNS record can have a name of at most 38 characters`,
    "ownerStack must be at most 43 characters long",
  ],
  [
    "a repository with a tag in it",
    () => validDocument("BoxSite"),
    "spec.image.repository",
    "jzbox:0",
    'must be a lowercase image repository without a tag like "ghcr.io/juntoz/jzbox" (the tag goes in its own field), got "jzbox:0"',
    "image.repository must be a lowercase image repository",
  ],
  [
    "a blank OpenID client id",
    () => validDocument("BoxSite"),
    "spec.oidc.clientId",
    "  ",
    'must not be empty, got "  "',
    "oidc.clientId must not be empty",
  ],
  [
    "a blank pub/sub channel",
    boxWithPubsub,
    "spec.themes.pubsub.channel",
    " ",
    'must not be empty, got " "',
    "themes.pubsub.channel must not be empty",
  ],
  [
    "a site id beyond exact integers",
    () => validDocument("BoxSite"),
    "spec.siteId",
    2 ** 53,
    // The loader refuses it before the schema: the YAML number cannot be read exactly.
    "must be a whole number from -9007199254740991 to 9007199254740991 to be read exactly, got 9007199254740992; quote it if it is text",
    "siteId must be a positive whole number",
  ],
  [
    "a box site name too long for the DNS record's comment",
    boxWithDns,
    "metadata.name",
    "b".repeat(39),
    `is too long (39 characters): the stack name "site-${"b".repeat(39)}" must be at most 43 characters long: it is written in the comment of each DNS record, which Cloudflare limits to 100 characters; a BoxSite with a DNS record can have a name of at most 38 characters`,
    "ownerStack must be at most 43 characters long",
  ],
  [
    "a staging name beyond Helm's release name limit",
    () => validDocument("Staging"),
    "metadata.name",
    "s".repeat(54),
    `must be a lowercase DNS label of at most 53 characters (Helm's release name limit) like "pr-42", got "${"s".repeat(54)}"`,
    "name must be a lowercase DNS label of at most 53 characters",
  ],
  [
    "a privileged port on Kubernetes",
    () => validDocument("App"),
    "spec.services.users.port",
    80,
    'must be 1024 or above: containers run as a non-root user (the "restricted" security profile), which cannot bind lower ports; make the image listen on e.g. 8080, got the number 80',
    "services.users.port must be 1024 or above",
  ],
  [
    "the moving latest tag",
    () => validDocument("App"),
    "spec.services.users.image",
    "taller2fiuba/users:latest",
    'must name a version, not the moving "latest" tag, got "taller2fiuba/users:latest"',
    'services.users.image must name a version, not the moving "latest" tag',
  ],
  [
    "a blank registry user name",
    () => withRegistry(validDocument("App")),
    "spec.registry.username",
    " ",
    'must not be empty, got " "',
    "registry.username must not be empty",
  ],
  [
    "a region that starts with a digit",
    azureApp,
    "spec.azure.location",
    "2eastus",
    'must be an Azure region name like "westeurope" or "eastus2", got "2eastus"',
    'location: must be an Azure region name like "westeurope" or "eastus2"',
  ],
  [
    "an Azure Container Registry name with a hyphen",
    azureApp,
    "spec.azure.registry.create.name",
    "chefcito-prod",
    'must be 5 to 50 letters and digits (it becomes <name>.azurecr.io), got "chefcito-prod"',
    "registry.create: must be 5 to 50 letters and digits (it becomes <name>.azurecr.io)",
  ],
  [
    "an adopted registry in a group Azure cannot name",
    azureAdopting,
    "spec.azure.registry.existing.resourceGroup",
    "rg.",
    'must be 1 to 90 letters, digits, "_", "-", ".", "(" or ")", not ending with ".", got "rg."',
    "registry.resourceGroupName: must be 1 to 90 letters",
  ],
  [
    "one registry both adopted and created",
    azureApp,
    "spec.azure.registry",
    { existing: { name: "chefcitoprod", resourceGroup: "chefcito-rg" }, create: { name: "x1234" } },
    "must have either existing or create, not both: a registry is adopted or owned",
    "azure.registry must have either existing or create, not both",
  ],
  [
    "an Azure Container Registry pulled with a password",
    () => withRegistry(azureApp()),
    "spec.registry.server",
    "chefcitoprod.azurecr.io",
    'must be a registry outside Azure: an Azure Container Registry is the app\'s own registry (azure.registry in a site file: existing or create), pulled through a managed identity without a password, got "chefcitoprod.azurecr.io"',
    "privateRegistry.server: must be a registry outside Azure",
  ],
  [
    "a host binding step Azure does not have",
    azureApp,
    "spec.azure.hostBinding",
    "bound",
    'must be "none", "hostname" or "certificate", got "bound"',
    'azure.hostBinding must be "none", "hostname" or "certificate"',
  ],
  [
    "a second service with a path under one Container Apps host",
    azureWithPayments,
    "spec.services.payments.path",
    "/payments",
    'on azure-container-apps only one service can have a path: spec.ingress.host is bound to one Container App and there is no shared path router; service "users" has one, so give this service a port only (the others reach it as http://payments)',
    "services.payments.path on azure-container-apps only one service can have a path",
  ],
  [
    "an RSA host key",
    pinnedRoute,
    "spec.host.hostKey",
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 root@vps",
    "must not be an RSA key: the SSH client then offers only SHA-1 RSA signatures, which OpenSSH 8.8 and later refuse; pin the host's ed25519 key (/etc/ssh/ssh_host_ed25519_key.pub)",
    "ssh.hostKey must not be an RSA key",
  ],
  [
    "a private key where the host key goes, never repeated",
    pinnedRoute,
    "spec.host.hostKey",
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    "is a private key; give the host's public key instead, the line of /etc/ssh/ssh_host_ed25519_key.pub on the VPS",
    "ssh.hostKey is a private key",
  ],
  [
    "a worker kept at zero replicas on Container Apps",
    azureApp,
    "spec.services.metrics-consumer.replicas",
    0,
    "must be at least 1 for a worker (no port): with no HTTP traffic nothing would ever start it",
    "services.metrics-consumer.minReplicas: must be at least 1 for a worker",
  ],
  [
    "secret names that become one Container App secret",
    azureApp,
    "spec.services.users.secretEnv.MONGO_PASSWORD_",
    { secret: "OTHER_PASSWORD" },
    'becomes the Container App secret "users-mongo-password", like secretEnv.MONGO_PASSWORD; rename one of them',
    'services.users.secretEnv.MONGO_PASSWORD_: becomes the Container App secret "users-mongo-password"',
  ],
  [
    "a service name that is no Container App name",
    azureApp,
    "spec.services.9lives",
    { image: "taller2fiuba/metrics:1.0.0", env: {}, secretEnv: {}, replicas: 1 },
    'is also the Container App name, and Azure allows 2 to 32 lowercase letters, digits and single "-", starting with a letter, got "9lives"',
    "services.9lives.name: is also the Container App name",
  ],
];

describe("validate refuses what up refuses", () => {
  test.each(refused)("%s", async (_case, base, path, value, message, componentMessage) => {
    const document = withField(base(), path, value);
    const { code, stdout, file, text } = await validate(document);
    expect(code).toBe(2);
    const problem = parseSiteText(text, file);
    expect(problem.ok).toBe(false);
    const [found] = problem.ok ? [] : problem.problems;
    const segments = path.split(".");
    expect(stdout).toBe(
      `${file}:${found!.line}:${found!.col}: ${formatPath(segments)}: ${message}\n`,
    );
    // The position is the field's value: on its key's line, or the line below for a map.
    const lines = text.split("\n");
    expect(lines.slice(found!.line - 2, found!.line).join("\n")).toContain(segments.at(-1));

    expect(renderProblem(specWith(base(), path, value))).toContain(componentMessage);
  });
});

// [case, document] accepted by validate and rendered by every component
const rendered: [string, () => Document][] = [
  [
    "an upstream host name with a domain",
    () => withField(validDocument("HostRoute"), "spec.upstream.host", "web1.lxd"),
  ],
  [
    "localhost as upstream",
    () => withField(validDocument("HostRoute"), "spec.upstream.host", "localhost"),
  ],
  [
    "an IPv6 upstream",
    () => withField(validDocument("HostRoute"), "spec.upstream.host", "fd42::15"),
  ],
  [
    "an SSH host name with a domain",
    () => withField(validDocument("HostRoute"), "spec.host.address", "vps.example.com"),
  ],
  [
    "an IPv6 public address (an AAAA record)",
    () => withField(validDocument("HostRoute"), "spec.publicIp", "2001:db8::40"),
  ],
  ["a route name of 38 characters", () => named(validDocument("HostRoute"), "r".repeat(38))],
  ["a box site name of 38 characters with DNS", () => named(boxWithDns(), "b".repeat(38))],
  [
    "a box site name of 63 characters without DNS",
    () => named(validDocument("BoxSite"), "b".repeat(63)),
  ],
  ["a staging name of 53 characters", () => named(validDocument("Staging"), "s".repeat(53))],
  ["a registry with a port on Kubernetes", () => withRegistry(validDocument("App"))],
  ["a registry with a port on Container Apps", () => withRegistry(azureApp())],
  ["an Azure Container Registry the app creates and owns", azureApp],
  ["an Azure Container Registry the app adopts", azureAdopting],
  ...(["none", "hostname"] as const).map((step): [string, () => Document] => [
    `an ingress host at binding step ${step}`,
    () => withField(azureApp(), "spec.azure.hostBinding", step),
  ]),
  [
    "an ingress host at a zone apex on Container Apps (an A record)",
    () => withField(azureApp(), "spec.ingress.host", "fiufit.com.ar"),
  ],
  [
    "an Azure app without an ingress host or a binding step",
    () =>
      withField(
        withField(
          withField(azureApp(), "spec.ingress", undefined),
          "spec.services.users.path",
          undefined,
        ),
        "spec.azure.hostBinding",
        undefined,
      ),
  ],
  ["a second public service without a path on Container Apps", azureWithPayments],
  ["a pinned ed25519 host key", pinnedRoute],
  ["trust on first use, chosen", () => validDocument("HostRoute")],
  [
    "an image with a tag and a digest",
    () =>
      withField(
        validDocument("App"),
        "spec.services.users.image",
        `taller2fiuba/users:1.4.0@sha256:${"a".repeat(64)}`,
      ),
  ],
  [
    "a registry port before the repository path",
    () => withField(validDocument("BoxSite"), "spec.image.repository", "localhost:5000/jzbox"),
  ],
  [
    "a privileged port on Container Apps",
    () => withField(azureApp(), "spec.services.users.port", 80),
  ],
];

describe("what validate accepts, up renders", () => {
  test.each(rendered)("%s", async (_case, build) => {
    const document = build();
    const { code, stdout } = await validate(document);
    expect(stdout).toBe("");
    expect(code).toBe(0);
    const result = parseSiteText(yamlOf(document), "x.yaml", { matchFileName: false });
    expect(result.ok && renderProblem(result.spec)).toBeUndefined();
  });
});
