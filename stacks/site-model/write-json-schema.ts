import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { jsonSchemaPath, siteJsonSchemaText } from "./json-schema.js";

/**
 * Regenerates schema/sitestack.schema.json from the zod schema:
 * `npm run build && node dist/stacks/site-model/write-json-schema.js`.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const target = join(root, jsonSchemaPath);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, siteJsonSchemaText());
process.stdout.write(`wrote ${jsonSchemaPath}\n`);
