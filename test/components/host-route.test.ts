import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  HostRoute,
  payloadSeparator,
  renderInstallScript,
  renderRemoteCommand,
  renderRemoveScript,
  renderServerBlock,
  debianNginxLayout,
  type HostRouteArgs,
} from "../../components/host-route/index.js";
import { isSecret, reveal, setMocks, type MockHarness } from "../support/mocks.js";

const sshKey =
  "-----BEGIN OPENSSH PRIVATE KEY-----\nssh-key-material\n-----END OPENSSH PRIVATE KEY-----";
const originKey =
  "-----BEGIN EC PRIVATE KEY-----\norigin-key-material\n-----END EC PRIVATE KEY-----\n";
const originCert = "-----BEGIN CERTIFICATE-----\norigin-cert\n-----END CERTIFICATE-----\n";
/** Public host keys made by ssh-keygen: the pinned one, and the one a first connection reads. */
const vpsHostKey =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFplOx34EYGepAtjaevUJzBEoumUK+BRNxRyikZeW5CM root@vps";
const learnedHostKey =
  "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBIjlMEdcJBKkX0IQ68uNuAlCyFb+Y8YdqDmerGGQIGw9vPv4hog5jcAksVIumMTFgw3yN81dMIzJOsYx/LNVdnyiQ1aoxt4epi6ARJe0ag3kSPIPMyflmIGJfN0CKE5+UA==";

let mocks: MockHarness;

beforeAll(async () => {
  mocks = await setMocks({
    stack: "site-acme",
    state: {
      "tls:index/privateKey:PrivateKey": () => ({ privateKeyPem: originKey }),
      "tls:index/certRequest:CertRequest": () => ({
        certRequestPem: "-----BEGIN CERTIFICATE REQUEST-----",
      }),
      "cloudflare:index/originCaCertificate:OriginCaCertificate": () => ({
        certificate: originCert,
      }),
      "tls:index/selfSignedCert:SelfSignedCert": () => ({ certPem: originCert }),
      // What `cat` prints on the VPS, newline included.
      "command:remote:Command": (r) =>
        r.name.endsWith("-hostkey") ? { stdout: `${learnedHostKey}\n` } : {},
    },
    calls: {
      "cloudflare:index/getZone:getZone": () => ({ id: "zone-acme" }),
    },
  });
});

beforeEach(() => mocks.reset());

function args(overrides: Partial<HostRouteArgs> = {}): HostRouteArgs {
  return {
    domain: "app.acme.com",
    upstream: { host: "10.0.3.15", port: 3000 },
    publicIp: "203.0.113.10",
    ssh: {
      host: "vps.acme.com",
      user: "root",
      privateKey: pulumi.secret(sshKey),
      hostKey: vpsHostKey,
    },
    cloudflare: { zone: { name: "acme.com" } },
    ownerStack: "site-acme",
    ...overrides,
  };
}

describe("HostRoute resources", () => {
  test("strict mode creates an Origin CA certificate from a CSR (golden list)", async () => {
    new HostRoute("app", args());
    await mocks.settle();
    expect(mocks.children()).toEqual([
      "cloudflare:index/dnsRecord:DnsRecord::app-dns",
      "cloudflare:index/originCaCertificate:OriginCaCertificate::app-cert",
      "cloudflare:index/zoneSetting:ZoneSetting::app-ssl",
      "command:remote:Command::app",
      "sitestack:edge:DnsRecord::app-dns",
      "sitestack:edge:HostRoute::app",
      "tls:index/certRequest:CertRequest::app-csr",
      "tls:index/privateKey:PrivateKey::app-key",
    ]);
    expect(mocks.find("tls:index/privateKey:PrivateKey", "app-key").inputs).toEqual({
      algorithm: "ECDSA",
      ecdsaCurve: "P256",
    });
    expect(reveal(mocks.find("tls:index/certRequest:CertRequest", "app-csr").inputs)).toEqual({
      privateKeyPem: originKey,
      subject: { commonName: "app.acme.com" },
      dnsNames: ["app.acme.com"],
    });
    expect(
      mocks.find("cloudflare:index/originCaCertificate:OriginCaCertificate", "app-cert").inputs,
    ).toEqual({
      csr: "-----BEGIN CERTIFICATE REQUEST-----",
      hostnames: ["app.acme.com"],
      requestType: "origin-ecc",
      requestedValidity: 5475,
    });
  });

  test("full mode creates a self-signed certificate instead (golden list)", async () => {
    new HostRoute(
      "app",
      args({ cloudflare: { zone: { name: "acme.com", id: "zone-1" }, sslMode: "full" } }),
    );
    await mocks.settle();
    expect(mocks.children()).toEqual([
      "cloudflare:index/dnsRecord:DnsRecord::app-dns",
      "cloudflare:index/zoneSetting:ZoneSetting::app-ssl",
      "command:remote:Command::app",
      "sitestack:edge:DnsRecord::app-dns",
      "sitestack:edge:HostRoute::app",
      "tls:index/privateKey:PrivateKey::app-key",
      "tls:index/selfSignedCert:SelfSignedCert::app-cert",
    ]);
    expect(
      reveal(mocks.find("tls:index/selfSignedCert:SelfSignedCert", "app-cert").inputs),
    ).toEqual({
      privateKeyPem: originKey,
      subject: { commonName: "app.acme.com" },
      dnsNames: ["app.acme.com"],
      allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
      validityPeriodHours: 131400,
    });
    expect(mocks.find("cloudflare:index/zoneSetting:ZoneSetting", "app-ssl").inputs).toEqual({
      zoneId: "zone-1",
      settingId: "ssl",
      value: "full",
    });
  });

  test("points a proxied A record at the VPS and sets the zone to strict", async () => {
    new HostRoute("app", args());
    await mocks.settle();
    expect(mocks.find("cloudflare:index/dnsRecord:DnsRecord", "app-dns").inputs).toEqual({
      zoneId: "zone-acme",
      name: "app.acme.com",
      type: "A",
      content: "203.0.113.10",
      proxied: true,
      ttl: 1,
      comment: "managed by sitestack stack site-acme; manual edits are overwritten",
    });
    expect(mocks.find("cloudflare:index/zoneSetting:ZoneSetting", "app-ssl").inputs).toEqual({
      zoneId: "zone-acme",
      settingId: "ssl",
      value: "strict",
    });
  });

  test("uses an AAAA record for an IPv6 VPS address", async () => {
    new HostRoute("app", args({ publicIp: "2001:db8::10" }));
    await mocks.settle();
    expect(mocks.find("cloudflare:index/dnsRecord:DnsRecord", "app-dns").inputs).toMatchObject({
      type: "AAAA",
      content: "2001:db8::10",
    });
  });

  test("ships the rendered block with the install script and removes it with the remove script", async () => {
    new HostRoute("app", args());
    await mocks.settle();
    const command = mocks.find("command:remote:Command", "app").inputs;
    const layout = debianNginxLayout;
    expect(reveal(command)).toEqual({
      // dialErrorLimit and perDialTimeout are the provider SDK's own defaults.
      connection: {
        host: "vps.acme.com",
        port: 22,
        user: "root",
        privateKey: sshKey,
        hostKey: vpsHostKey,
        dialErrorLimit: 10,
        perDialTimeout: 15,
      },
      create: renderInstallScript("app.acme.com", layout),
      delete: renderRemoveScript("app.acme.com", layout),
      stdin:
        renderServerBlock({
          domain: "app.acme.com",
          upstream: { host: "10.0.3.15", port: 3000 },
          layout,
        }) + `${payloadSeparator}\n${originCert}${originKey}`,
      triggers: ["app.acme.com", "/etc/nginx/conf.d", "/etc/nginx/sitestack"],
      addPreviousOutputInEnv: false,
    });
  });

  test("runs the scripts under sudo -n for a user other than root", async () => {
    new HostRoute(
      "app",
      args({
        ssh: {
          host: "203.0.113.10",
          port: 2222,
          user: "deploy",
          privateKey: pulumi.secret(sshKey),
          hostKey: vpsHostKey,
        },
      }),
    );
    await mocks.settle();
    const command = reveal(mocks.find("command:remote:Command", "app").inputs) as Record<
      string,
      unknown
    >;
    expect(command.create).toBe(
      renderRemoteCommand(renderInstallScript("app.acme.com", debianNginxLayout), "deploy"),
    );
    expect(command.create).toMatch(/^sudo -n sh -c '/);
    expect(command.connection).toEqual({
      host: "203.0.113.10",
      port: 2222,
      user: "deploy",
      privateKey: sshKey,
      hostKey: vpsHostKey,
      dialErrorLimit: 10,
      perDialTimeout: 15,
    });
  });

  test("passes the SSH key and the origin key only as Pulumi secrets", async () => {
    // A plain (non-secret) key from the caller must still reach the engine as a secret (the
    // command SDK also marks `connection` secret; HostRoute does not rely on that alone).
    new HostRoute(
      "app",
      args({
        ssh: { host: "vps.acme.com", user: "root", privateKey: sshKey, hostKey: vpsHostKey },
      }),
    );
    await mocks.settle();
    expect(mocks.plainOccurrences("ssh-key-material")).toEqual([]);
    expect(mocks.plainOccurrences("origin-key-material")).toEqual([]);
    const command = mocks.find("command:remote:Command", "app").inputs;
    expect(isSecret(command.stdin)).toBe(true);
    expect(reveal(command.stdin)).toContain("origin-key-material");
    expect(JSON.stringify(reveal(command.connection))).toContain("ssh-key-material");
  });
});

describe("HostRoute SSH host key", () => {
  test("trust on first use reads the host's key once and pins every other connection to it", async () => {
    const route = new HostRoute(
      "app",
      args({
        ssh: { host: "vps.acme.com", user: "deploy", privateKey: sshKey, trustOnFirstUse: true },
      }),
    );
    await mocks.settle();
    expect(mocks.children()).toEqual([
      "cloudflare:index/dnsRecord:DnsRecord::app-dns",
      "cloudflare:index/originCaCertificate:OriginCaCertificate::app-cert",
      "cloudflare:index/zoneSetting:ZoneSetting::app-ssl",
      "command:remote:Command::app",
      "command:remote:Command::app-hostkey",
      "sitestack:edge:DnsRecord::app-dns",
      "sitestack:edge:HostRoute::app",
      "tls:index/certRequest:CertRequest::app-csr",
      "tls:index/privateKey:PrivateKey::app-key",
    ]);
    const reader = mocks.find("command:remote:Command", "app-hostkey");
    expect(reveal(reader.inputs)).toEqual({
      // No hostKey: this is the one unchecked connection. No delete: destroy never connects.
      connection: {
        host: "vps.acme.com",
        port: 22,
        user: "deploy",
        privateKey: sshKey,
        dialErrorLimit: 10,
        perDialTimeout: 15,
      },
      create: "cat /etc/ssh/ssh_host_ed25519_key.pub",
      triggers: ["vps.acme.com", 22],
      addPreviousOutputInEnv: false,
    });
    expect(mocks.plainOccurrences("ssh-key-material")).toEqual([]);
    const install = reveal(mocks.find("command:remote:Command", "app").inputs) as {
      connection: Record<string, unknown>;
    };
    expect(install.connection.hostKey).toBe(learnedHostKey);
    expect(await new Promise((resolve) => route.sshHostKey.apply(resolve))).toBe(learnedHostKey);
  });

  test("a pinned key needs no reader and is the key the route reports", async () => {
    const route = new HostRoute("app", args());
    await mocks.settle();
    expect(mocks.ofType("command:remote:Command").map((r) => r.name)).toEqual(["app"]);
    expect(await new Promise((resolve) => route.sshHostKey.apply(resolve))).toBe(vpsHostKey);
  });
});

describe("HostRoute validation", () => {
  test.each([
    [
      "a domain outside the zone",
      { domain: "app.acme.org" },
      'HostRoute "app":\n  domain must be the zone apex "acme.com" or a name ending in ".acme.com", got "app.acme.org"',
    ],
    [
      "an upstream host that would inject nginx directives",
      { upstream: { host: "10.0.3.15; include /etc/passwd", port: 3000 } },
      'HostRoute "app":\n  upstream.host must be an IP address like "10.0.3.15" or a host name with a domain like "web1.lxd" (must not contain spaces or line breaks), got "10.0.3.15; include /etc/passwd"',
    ],
    [
      "an upstream port out of range",
      { upstream: { host: "10.0.3.15", port: 70000 } },
      'HostRoute "app":\n  upstream.port must be a whole number from 1 to 65535, got 70000',
    ],
    [
      "a public address that is not an IP",
      { publicIp: "vps.acme.com" },
      'HostRoute "app":\n  publicIp must be an IPv4 or IPv6 address like "203.0.113.40", got "vps.acme.com"',
    ],
    [
      "the flexible SSL mode",
      { cloudflare: { zone: { name: "acme.com" }, sslMode: "flexible" as "full" } },
      'HostRoute "app":\n  cloudflare.sslMode must be "full" or "strict"; "flexible" is not allowed: it leaves the Cloudflare-to-origin leg unencrypted and, with an origin that redirects port 80 to https, loops redirects forever. Use "strict" (Cloudflare Origin CA certificate, the default) or "full" (self-signed origin certificate), got "flexible"',
    ],
    [
      "a user name with shell characters",
      { ssh: { host: "vps.acme.com", user: "root;reboot", privateKey: "k", hostKey: vpsHostKey } },
      'HostRoute "app":\n  ssh.user must be a Unix user name like "deploy", got "root;reboot"',
    ],
    [
      "an unpinned host key that was not chosen",
      { ssh: { host: "vps.acme.com", user: "root", privateKey: "k" } },
      'HostRoute "app":\n  ssh.hostKey is required: pin the VPS\'s SSH host key (the line of /etc/ssh/ssh_host_ed25519_key.pub on the VPS, read over a channel you trust), or set trustOnFirstUse: true to accept the key the VPS presents on the first connection and pin that one from then on',
    ],
    [
      "a pinned key together with trust on first use",
      {
        ssh: {
          host: "vps.acme.com",
          user: "root",
          privateKey: "k",
          hostKey: vpsHostKey,
          trustOnFirstUse: true,
        },
      },
      'HostRoute "app":\n  ssh.trustOnFirstUse must not be true when hostKey is set: the pinned key is checked from the first connection',
    ],
    [
      "a host key in known_hosts form",
      {
        ssh: { host: "vps.acme.com", user: "root", privateKey: "k", hostKey: `vps ${vpsHostKey}` },
      },
      'HostRoute "app":\n  ssh.hostKey must start with a host key type, one of ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, got "vps" (drop the host name in front: known_hosts form is "<host> <type> <key>")',
    ],
  ])("rejects %s", (_what, overrides, message) => {
    expect(() => new HostRoute("app", args(overrides))).toThrow(new Error(message));
  });

  test("creates nothing when the arguments are invalid", async () => {
    expect(() => new HostRoute("app", args({ domain: "app.acme.org" }))).toThrow();
    await mocks.settle();
    expect(mocks.resources).toEqual([]);
  });
});
