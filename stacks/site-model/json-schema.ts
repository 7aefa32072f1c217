import * as z from "zod";
import { apiVersion, siteSchema } from "./site.js";

/** Where the generated JSON Schema lives, relative to the repository root. */
export const jsonSchemaPath = "schema/sitestack.schema.json";

/**
 * The JSON Schema of site files, generated from the zod schema so the two cannot drift (a test
 * compares it with the committed file). It describes files as written (defaults optional) for
 * editors using `yaml-language-server`; draft-07, the draft editors support best. Rules that relate
 * fields or files (a path needs a port, duplicate codes…) are only checked by `sitestack validate`.
 */
export function siteJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(siteSchema, {
    io: "input",
    target: "draft-7",
    unrepresentable: "any",
  });
  return {
    $schema: generated.$schema,
    title: `sitestack site file (${apiVersion})`,
    description:
      "One site or staging: apiVersion, kind (BoxSite, App, HostRoute or Staging), metadata and spec. See docs/site-files.md.",
    ...Object.fromEntries(Object.entries(generated).filter(([key]) => key !== "$schema")),
  };
}

/** The file content of {@link jsonSchemaPath}: stable key order, two-space indent, final newline. */
export function siteJsonSchemaText(): string {
  return `${JSON.stringify(siteJsonSchema(), null, 2)}\n`;
}
