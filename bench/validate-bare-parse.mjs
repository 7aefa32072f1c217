// Baseline for the validate benchmark: what the same process does with no validation at all —
// start node, list the folder, read every file and parse it with the same fast YAML parser.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CORE_SCHEMA, load } from "js-yaml";

const dir = process.argv[2];
let documents = 0;
for (const name of readdirSync(dir)
  .filter((n) => n.endsWith(".yaml"))
  .sort()) {
  if (load(readFileSync(join(dir, name), "utf8"), { schema: CORE_SCHEMA }) !== undefined)
    documents++;
}
process.stdout.write(`${documents} documents\n`);
