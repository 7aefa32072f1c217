import * as z from "zod";
import { apiVersion } from "../site-model/index.js";
import { platformSchema } from "./file.js";

/** Where the platform file's generated JSON Schema lives, relative to the repository root. */
export const platformJsonSchemaPath = "schema/platform.schema.json";

/**
 * The JSON Schema of the platform file `sitestack.yaml`, generated from its zod schema like the
 * site files' (see `siteJsonSchema`): draft-07, the file as written (defaults optional).
 */
export function platformJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(platformSchema, {
    io: "input",
    target: "draft-7",
    unrepresentable: "any",
  });
  return {
    $schema: generated.$schema,
    title: `sitestack platform file (${apiVersion})`,
    description:
      "The platform settings every stack of the project shares: test domains, routing, ACME, NetworkPolicy, clusters, default resources. See docs/platform-file.md.",
    ...Object.fromEntries(Object.entries(generated).filter(([key]) => key !== "$schema")),
  };
}

/** The file content of {@link platformJsonSchemaPath}. */
export function platformJsonSchemaText(): string {
  return `${JSON.stringify(platformJsonSchema(), null, 2)}\n`;
}
