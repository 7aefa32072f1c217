import { describe, expect, test } from "vitest";
import type { ChartContract } from "../../stacks/staging/chart.js";
import { assertFitsChart, chartMismatches } from "../../stacks/staging/check.js";
import type { StagingSpec } from "../../stacks/site-model/site.js";

const chart: ChartContract = {
  folder: "box",
  dir: "/charts/box",
  name: "box",
  version: "0.1.0",
  appVersion: "0",
  apps: ["box", "sync", "database"],
  secretValuePaths: ["site.oidcClientSecret", "database.password"],
};

const secrets = {
  "site.oidcClientSecret": { secret: "PR42_OIDC" },
  "database.password": { secret: "PR42_DB" },
};

function staging(overrides: Partial<StagingSpec["spec"]> = {}): StagingSpec["spec"] {
  return {
    chart: "box",
    tag: "0",
    values: {},
    secretValues: secrets,
    appOverrides: {},
    ...overrides,
  };
}

describe("chartMismatches", () => {
  test("a staging that gives every secret and overrides known apps fits", () => {
    expect(chartMismatches(staging({ appOverrides: { box: { replicas: 2 } } }), chart)).toEqual([]);
  });

  test("reports every mismatch at once, each at its field", () => {
    const found = chartMismatches(
      staging({
        appOverrides: { web: {}, database: { password: "hunter22" } },
        values: {
          site: { oidcClientSecret: "plain" },
          image: { tag: "1" },
          global: { sitestack: {} },
        },
        secretValues: {
          "site.oidcClientSecret": { secret: "A" },
          "redis.password": { secret: "B" },
        },
      }),
      chart,
    );
    expect(found).toEqual([
      {
        path: ["spec", "appOverrides", "web"],
        message: 'chart "box" has no app "web"; its apps are box, sync, database',
      },
      {
        path: ["spec", "secretValues", "redis.password"],
        message:
          'chart "box" takes no secret value at "redis.password"; its secret values are site.oidcClientSecret, database.password',
      },
      {
        path: ["spec", "secretValues"],
        message:
          'chart "box" needs the secret value "database.password": add "database.password": {secret: NAME}',
      },
      {
        path: ["spec", "values", "site", "oidcClientSecret"],
        message:
          'is a secret value of chart "box": remove it here and give it in spec.secretValues as "site.oidcClientSecret": {secret: NAME}',
      },
      {
        path: ["spec", "values", "image", "tag"],
        message: "is set from spec.tag: remove it here and set spec.tag",
      },
      {
        path: ["spec", "values", "global", "sitestack"],
        message:
          "is set by sitestack for every staging (staging, secretName, baseDomain): remove it",
      },
      {
        path: ["spec", "appOverrides", "database", "password"],
        message:
          'is a secret value of chart "box": remove it here and give it in spec.secretValues as "database.password": {secret: NAME}',
      },
    ]);
  });

  test("assertFitsChart throws one error listing each mismatch by path", () => {
    expect(() => assertFitsChart("pr-42", staging({ secretValues: {} }), chart)).toThrow(
      'Staging "pr-42" does not fit chart "box":\n' +
        '  spec.secretValues: chart "box" needs the secret value "site.oidcClientSecret": add "site.oidcClientSecret": {secret: NAME}\n' +
        '  spec.secretValues: chart "box" needs the secret value "database.password": add "database.password": {secret: NAME}',
    );
  });
});
