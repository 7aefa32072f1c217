// Comparison for the validate benchmark: the straightforward design — parse every file with the
// position-keeping `yaml` parser, then validate with the same zod schema — as a whole process.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { siteSchema } from "../dist/stacks/site-model/index.js";
import { siteErrorMap } from "../dist/stacks/site-model/index.js";

const dir = process.argv[2];
let invalid = 0;
for (const name of readdirSync(dir)
  .filter((n) => n.endsWith(".yaml"))
  .sort()) {
  const lineCounter = new LineCounter();
  const document = parseDocument(readFileSync(join(dir, name), "utf8"), { lineCounter });
  if (!siteSchema.safeParse(document.toJS(), { error: siteErrorMap }).success) invalid++;
}
process.stdout.write(`${invalid} invalid\n`);
