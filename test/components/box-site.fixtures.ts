import * as pulumi from "@pulumi/pulumi";
import type { BoxSiteArgs } from "../../components/box-site/index.js";

/** Secret values the tests plant, to prove they never leave Pulumi secrets. */
export const oidcSecretValue = "oidc-secret-value-7f3a";
export const redisUrlValue = "redis://:redis-password-91c2@redis.internal:6379/0";

/** A box site like the example site file, every optional feature left at its default. */
export function acmeArgs(overrides: Partial<BoxSiteArgs> = {}): BoxSiteArgs {
  return {
    siteId: 42,
    code: "acme",
    domain: "acme.com",
    testDomainBase: "sites.example.net",
    techEmail: "tech@acme.com",
    oidc: { clientId: "acme-web", clientSecret: pulumi.secret(oidcSecretValue) },
    image: { repository: "ghcr.io/juntoz/jzbox" },
    themes: { source: "https://central.example.net/themes/42" },
    ...overrides,
  };
}
