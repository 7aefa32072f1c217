import { describe, expect, test } from "vitest";
import { resolveBoxSite } from "../../components/box-site/index.js";
import { acmeArgs } from "./box-site.fixtures.js";

describe("resolveBoxSite", () => {
  test("fills in the defaults", () => {
    expect(resolveBoxSite("acme", acmeArgs())).toMatchObject({
      namespace: "box-acme",
      testDomain: "acme.sites.example.net",
      image: "ghcr.io/juntoz/jzbox:0",
      version: "0",
      syncIntervalSeconds: 300,
      themesPath: "/var/www/html/themes",
      replicas: 1,
      port: 8080,
      securityProfile: "restricted",
      routing: { kind: "ingress", className: "nginx" },
      acmeEnvironment: "production",
      resources: { cpuRequest: "100m", memoryRequest: "128Mi", memoryLimit: "256Mi" },
    });
  });

  test.each([
    ["www.acme.com", 'domain must be the naked domain "acme.com", got "www.acme.com"'],
    [
      "shop.acme.com.pe",
      'domain must be the naked domain "acme.com.pe", not a subdomain, got "shop.acme.com.pe"',
    ],
    ["ACME.com", 'domain must be lowercase (write "acme.com"), got "ACME.com"'],
  ])("rejects the domain %s", (domain, message) => {
    expect(() => resolveBoxSite("acme", acmeArgs({ domain }))).toThrow(
      `BoxSite "acme":\n  ${message}`,
    );
  });

  test("accepts a naked domain under a multi-label public suffix", () => {
    expect(resolveBoxSite("acme", acmeArgs({ domain: "acme.com.pe" })).domain).toBe("acme.com.pe");
  });

  test("reports every problem at once", () => {
    expect(() =>
      resolveBoxSite(
        "acme",
        acmeArgs({
          code: "Acme!",
          techEmail: "nobody",
          image: { repository: "ghcr.io/juntoz/jzbox", tag: "latest" },
          replicas: -1,
          port: 80,
        }),
      ),
    ).toThrow(
      [
        'BoxSite "acme":',
        '  code must be 1 to 20 lowercase letters, digits and inner hyphens like "acme", got "Acme!"',
        '  techEmail must be an e-mail address like "tech@acme.com", got "nobody"',
        '  image.tag must be a semver tag "MAJOR", "MAJOR.MINOR" or "MAJOR.MINOR.PATCH" like "0", "0.1" or "0.1.3", got "latest"',
        "  replicas must be a whole number, 0 to scale the site down (archived), got -1",
        '  port must be 1024 or above: containers run as a non-root user (the "restricted" security profile), which cannot bind lower ports; make the image listen on e.g. 8080, or use securityProfile "root-allowed", got 80',
      ].join("\n"),
    );
  });

  test("rejects a Cloudflare zone other than the site's domain", () => {
    expect(() =>
      resolveBoxSite(
        "acme",
        acmeArgs({ dns: { cloudflare: { zone: "other.com", ownerStack: "site-acme" } } }),
      ),
    ).toThrow(
      'dns.cloudflare.zone must be the site\'s domain "acme.com" (the record is created at the zone apex), got "other.com"',
    );
  });

  test("rejects a digest that is not sha256", () => {
    expect(() =>
      resolveBoxSite("acme", acmeArgs({ image: { repository: "jzbox", digest: "md5:abc" } })),
    ).toThrow('image.digest must be "sha256:" and 64 hex digits, got "md5:abc"');
  });
});
