import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { jsonSchemaPath, siteJsonSchema } from "../../stacks/site-model/json-schema.js";

describe("schema/sitestack.schema.json", () => {
  test("is in sync with the zod schema (regenerate: npm run schema)", () => {
    // Compared as data, so reformatting the file (prettier) does not break the test.
    expect(JSON.parse(readFileSync(jsonSchemaPath, "utf8"))).toEqual(siteJsonSchema());
  });

  test("describes every kind, strictly", () => {
    const schema = siteJsonSchema() as {
      oneOf: { $ref: string }[];
      definitions: Record<
        string,
        { additionalProperties: boolean; properties: Record<string, unknown> }
      >;
    };
    expect(schema.oneOf.map((option) => option.$ref)).toEqual([
      "#/definitions/BoxSite",
      "#/definitions/App",
      "#/definitions/HostRoute",
      "#/definitions/Staging",
    ]);
    for (const kind of ["BoxSite", "App", "HostRoute", "Staging"]) {
      expect(schema.definitions[kind]!.additionalProperties).toBe(false);
      expect(Object.keys(schema.definitions[kind]!.properties)).toEqual([
        "apiVersion",
        "kind",
        "metadata",
        "spec",
      ]);
    }
  });

  test("offers only full and strict SSL modes to editors", () => {
    const schema = siteJsonSchema() as {
      definitions: {
        HostRoute: {
          properties: {
            spec: { properties: Record<string, Record<string, Record<string, unknown>>> };
          };
        };
      };
    };
    const cloudflare = schema.definitions.HostRoute.properties.spec.properties.cloudflare;
    expect(cloudflare.properties.sslMode).toMatchObject({
      default: "strict",
      enum: ["full", "strict"],
    });
  });

  test("gives editors the chart name pattern that confines charts to charts/<name>", () => {
    const schema = siteJsonSchema() as {
      definitions: {
        Staging: { properties: { spec: { properties: { chart: Record<string, unknown> } } } };
      };
    };
    expect(schema.definitions.Staging.properties.spec.properties.chart).toEqual({
      type: "string",
      pattern: "^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$",
      description: "Folder under charts/ holding the Helm chart.",
    });
  });
});
