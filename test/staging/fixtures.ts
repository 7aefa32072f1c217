import * as pulumi from "@pulumi/pulumi";
import { type ProgramContext } from "../../stacks/platform/program-context.js";
import { defaultPlatformSettings, type PlatformSettings } from "../../stacks/platform/settings.js";
import { stagingSchema, type StagingSpec } from "../../stacks/site-model/site.js";

/** The secret values the fixture staging's references resolve to. */
export const fixtureSecrets: Readonly<Record<string, string>> = {
  PR42_OIDC_CLIENT_SECRET: "oidc-client-secret-5d1e9b",
  PR42_DB_PASSWORD: "db-password-c0ffee42",
};

/** A staging of the box chart as a site file gives it, parsed so defaults apply. */
export function boxStaging(spec: Record<string, unknown> = {}, name = "pr-42"): StagingSpec {
  return stagingSchema.parse({
    apiVersion: "sitestack/v1",
    kind: "Staging",
    metadata: { name, labels: { team: "shops" } },
    spec: {
      chart: "box",
      tag: "0.4.0-pr.42",
      values: {
        site: { id: "42", oidcClientId: "box-pr-42", emailTech: "qa@example.net" },
        sync: { intervalSeconds: 60 },
      },
      secretValues: {
        "site.oidcClientSecret": { secret: "PR42_OIDC_CLIENT_SECRET" },
        "database.password": { secret: "PR42_DB_PASSWORD" },
      },
      appOverrides: { box: { resources: { requests: { cpu: "50m" } } } },
      ttl: "72h",
      ...spec,
    },
  });
}

/** A program context whose secrets resolve from {@link fixtureSecrets}. */
export function fixtureContext(
  lifecycle: "active" | "archived" = "active",
  kubernetes: PlatformSettings["kubernetes"] = defaultPlatformSettings.kubernetes,
): ProgramContext {
  return {
    stackName: "staging-pr-42",
    platform: { ...defaultPlatformSettings, kubernetes },
    lifecycle,
    secret: (name) => {
      const value = fixtureSecrets[name];
      if (value === undefined) throw new Error(`no fixture secret ${name}`);
      return pulumi.secret(value);
    },
  };
}
