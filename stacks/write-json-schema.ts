import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { platformJsonSchemaPath, platformJsonSchemaText } from "./platform/json-schema.js";
import { jsonSchemaPath, siteJsonSchemaText } from "./site-model/index.js";

/**
 * Regenerates the committed JSON Schemas from the zod schemas (`npm run schema`): the site files'
 * (schema/sitestack.schema.json) and the platform file's (schema/platform.schema.json).
 */
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
for (const [path, text] of [
  [jsonSchemaPath, siteJsonSchemaText()],
  [platformJsonSchemaPath, platformJsonSchemaText()],
] as const) {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  process.stdout.write(`wrote ${path}\n`);
}
