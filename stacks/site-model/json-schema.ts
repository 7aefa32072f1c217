import * as z from "zod";
import { apiVersion, siteSchema } from "./site.js";

/** Where the generated JSON Schema lives, relative to the repository root. */
export const jsonSchemaPath = "schema/sitestack.schema.json";

/**
 * The JSON Schema of site files, generated from the zod schema so the two cannot drift (a test
 * compares it with the committed file). It describes files as written (defaults optional) for
 * editors using `yaml-language-server`; draft-07, the draft editors support best.
 *
 * Every rule JSON Schema can express is in it, taken from the same source as the check itself: a
 * field checked by a component's `xProblem()` carries that component's exported pattern or bound
 * (`hostnamePattern`, `imageReferencePattern`, `maxStagingNameLength`…) in its `.meta()`, so
 * editors refuse `chart: ../../../etc` or `domain: ACME.com` as `validate` does. What it cannot
 * express is only checked by `sitestack validate`: the public suffix list (naked domains), rules
 * that relate fields (a path needs a port, the zone is the domain) or files (duplicate codes).
 * test/site-model/json-schema-rules.test.ts checks both directions with a JSON Schema validator.
 */
export function siteJsonSchema(): Record<string, unknown> {
  return documentJsonSchema(
    siteSchema,
    `sitestack site file (${apiVersion})`,
    "One site or staging: apiVersion, kind (BoxSite, App, HostRoute or Staging), metadata and spec. See docs/site-files.md.",
  );
}

/**
 * The draft-07 JSON Schema of a document's zod schema as written (defaults optional), with a title
 * and a description: the site files' and the platform file's.
 */
export function documentJsonSchema(
  schema: z.ZodType,
  title: string,
  description: string,
): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, {
    io: "input",
    target: "draft-7",
    unrepresentable: "any",
  });
  return {
    $schema: generated.$schema,
    title,
    description,
    ...Object.fromEntries(Object.entries(generated).filter(([key]) => key !== "$schema")),
  };
}

/** A JSON Schema as the committed files hold it: two-space indent, final newline. */
export function jsonSchemaText(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** The file content of {@link jsonSchemaPath}: stable key order, two-space indent, final newline. */
export function siteJsonSchemaText(): string {
  return jsonSchemaText(siteJsonSchema());
}
