import { apiVersion, documentJsonSchema, jsonSchemaText } from "../site-model/index.js";
import { platformSchema } from "./file.js";

/** Where the platform file's generated JSON Schema lives, relative to the repository root. */
export const platformJsonSchemaPath = "schema/platform.schema.json";

/**
 * The JSON Schema of the platform file `sitestack.yaml`, generated from its zod schema like the
 * site files' (see `siteJsonSchema`).
 */
export function platformJsonSchema(): Record<string, unknown> {
  return documentJsonSchema(
    platformSchema,
    `sitestack platform file (${apiVersion})`,
    "The platform settings every stack of the project shares: test domains, routing, ACME, NetworkPolicy, clusters, default resources. See docs/platform-file.md.",
  );
}

/** The file content of {@link platformJsonSchemaPath}. */
export function platformJsonSchemaText(): string {
  return jsonSchemaText(platformJsonSchema());
}
