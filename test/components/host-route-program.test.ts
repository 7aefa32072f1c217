import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, test } from "vitest";
import { type ProgramContext } from "../../stacks/platform/program-context.js";
import { defaultPlatformSettings } from "../../stacks/platform/settings.js";
import { hostRouteArgs, hostRouteProgram } from "../../stacks/program/host-route.js";
import type { HostRouteSpec } from "../../stacks/site-model/index.js";
import { isSecret, setMocks, type MockHarness } from "../support/mocks.js";
import { repositorySite } from "../support/site-files.js";

const sshKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nvps-key\n-----END OPENSSH PRIVATE KEY-----";
let mocks: MockHarness;
let blog: HostRouteSpec;
const requestedSecrets: string[] = [];

const context: ProgramContext = {
  stackName: "site-blog",
  platform: defaultPlatformSettings,
  secret(name) {
    requestedSecrets.push(name);
    return pulumi.secret(sshKey);
  },
};

beforeAll(async () => {
  mocks = await setMocks({
    stack: "site-blog",
    state: {
      "tls:index/privateKey:PrivateKey": () => ({ privateKeyPem: "origin-key" }),
      "tls:index/certRequest:CertRequest": () => ({ certRequestPem: "csr" }),
      "cloudflare:index/originCaCertificate:OriginCaCertificate": () => ({ certificate: "cert" }),
    },
    calls: { "cloudflare:index/getZone:getZone": () => ({ id: "zone-marcosrgz" }) },
  });
  blog = await repositorySite("blog.yaml", "HostRoute");
});

beforeEach(() => {
  mocks.reset();
  requestedSecrets.length = 0;
});

describe("HostRoute program", () => {
  test("maps the site file to component arguments, the key through the secret reference", () => {
    const { ssh, ...rest } = hostRouteArgs(blog, context);
    expect(rest).toEqual({
      domain: "blog.marcosrgz.com",
      upstream: { host: "10.154.30.12", port: 3000 },
      publicIp: "203.0.113.40",
      cloudflare: { zone: { name: "marcosrgz.com" }, sslMode: "strict" },
      ownerStack: "site-blog",
    });
    expect({ ...ssh, privateKey: undefined }).toEqual({
      host: "203.0.113.40",
      port: 22,
      user: "deploy",
      privateKey: undefined,
      hostKey:
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFplOx34EYGepAtjaevUJzBEoumUK+BRNxRyikZeW5CM root@vps",
    });
    expect(requestedSecrets).toEqual(["VPS_DEPLOY_SSH_KEY"]);
  });

  test("an unpinned file passes its explicit trust on first use to the component", () => {
    const host = { ...blog.spec.host, hostKey: undefined, trustOnFirstUse: true };
    const unpinned = { ...blog, spec: { ...blog.spec, host } };
    const { ssh } = hostRouteArgs(unpinned, context);
    expect({ ...ssh, privateKey: undefined }).toEqual({
      host: "203.0.113.40",
      port: 22,
      user: "deploy",
      privateKey: undefined,
      trustOnFirstUse: true,
    });
  });

  test("refuses an unproxied route", () => {
    const unproxied = {
      ...blog,
      spec: { ...blog.spec, cloudflare: { ...blog.spec.cloudflare, proxied: false } },
    };
    expect(() => hostRouteArgs(unproxied, context)).toThrow(
      'HostRoute "blog":\n  cloudflare.proxied must be true: the origin certificate is trusted by Cloudflare only, so visitors reaching the VPS directly would get certificate errors, got false',
    );
  });

  test("runs as a program and exports the url and record name", async () => {
    const outputs = (await hostRouteProgram(blog, context)()) as Record<string, unknown>;
    await mocks.settle();
    expect(outputs.url).toBe("https://blog.marcosrgz.com");
    expect(outputs.dnsName).toBe("blog.marcosrgz.com");
    expect(
      await new Promise((resolve) => (outputs.sshHostKey as pulumi.Output<string>).apply(resolve)),
    ).toBe(
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFplOx34EYGepAtjaevUJzBEoumUK+BRNxRyikZeW5CM root@vps",
    );
    expect(mocks.children()).toEqual([
      "cloudflare:index/dnsRecord:DnsRecord::blog-dns",
      "cloudflare:index/originCaCertificate:OriginCaCertificate::blog-cert",
      "cloudflare:index/zoneSetting:ZoneSetting::blog-ssl",
      "command:remote:Command::blog",
      "sitestack:edge:DnsRecord::blog-dns",
      "sitestack:edge:HostRoute::blog",
      "tls:index/certRequest:CertRequest::blog-csr",
      "tls:index/privateKey:PrivateKey::blog-key",
    ]);
    expect(mocks.plainOccurrences("vps-key")).toEqual([]);
    expect(isSecret(mocks.find("command:remote:Command", "blog").inputs.connection)).toBe(true);
  });
});
