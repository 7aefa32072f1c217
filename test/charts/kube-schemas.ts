import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

/**
 * Offline JSON schemas for `kubeconform -strict`, generated from the OpenAPI (swagger v2) document
 * of the Kubernetes release the project already builds (k8s.io/kubernetes in the Go module cache):
 * kubeconform's own schema download site is unreachable here. The conversion follows
 * openapi2jsonschema's, which produces kubeconform's published schemas: one standalone file per
 * kind, `int-or-string` and quantities as string-or-number, and in strict mode
 * `additionalProperties: false` on every object that lists its properties.
 */

type Schema = { [key: string]: unknown };

/** The Kubernetes release whose API the schemas describe (the API server the tests start). */
export const kubernetesVersion = "1.36.0";

const run = promisify(execFile);

/** The swagger.json of k8s.io/kubernetes in the Go module cache. */
export async function swaggerPath(): Promise<string> {
  const { stdout } = await run("go", ["env", "GOMODCACHE"]);
  return join(
    stdout.trim(),
    `k8s.io/kubernetes@v${kubernetesVersion}`,
    "api",
    "openapi-spec",
    "swagger.json",
  );
}

const quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";

function strict(schema: Schema, name?: string): Schema {
  if (name === quantity) return { oneOf: [{ type: "string" }, { type: "number" }] };
  if (schema.format === "int-or-string") return { oneOf: [{ type: "string" }, { type: "integer" }] };
  const out: Schema = { ...schema };
  if (typeof out.$ref === "string") return { $ref: out.$ref };
  if (out.properties !== undefined) {
    out.properties = Object.fromEntries(
      Object.entries(out.properties as Record<string, Schema>).map(([k, v]) => [k, strict(v)]),
    );
    if (out.additionalProperties === undefined && out["x-kubernetes-preserve-unknown-fields"] !== true) {
      out.additionalProperties = false;
    }
  }
  if (typeof out.items === "object" && out.items !== null) out.items = strict(out.items as Schema);
  if (typeof out.additionalProperties === "object" && out.additionalProperties !== null) {
    out.additionalProperties = strict(out.additionalProperties as Schema);
  }
  return out;
}

function refsOf(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) value.forEach((v) => refsOf(v, found));
  else if (typeof value === "object" && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (key === "$ref" && typeof v === "string") found.add(v.replace("#/definitions/", ""));
      else refsOf(v, found);
    }
  }
}

/**
 * Writes one schema per kind into `dir` and returns the `-schema-location` template that finds
 * them (`<dir>/<group or v1>/<version>/<kind>.json`).
 */
export async function writeKubeconformSchemas(dir: string): Promise<string> {
  const swagger = JSON.parse(await readFile(await swaggerPath(), "utf8")) as {
    definitions: Record<string, Schema>;
  };
  const definitions = swagger.definitions;
  for (const [name, definition] of Object.entries(definitions)) {
    const gvks = definition["x-kubernetes-group-version-kind"] as
      | Array<{ group: string; version: string; kind: string }>
      | undefined;
    if (gvks?.length !== 1 || definition.properties === undefined) continue;
    const { group, version, kind } = gvks[0]!;
    const reachable = new Set<string>();
    const queue = [name];
    while (queue.length > 0) {
      const next = queue.pop()!;
      const refs = new Set<string>();
      refsOf(definitions[next], refs);
      for (const ref of refs) {
        if (!reachable.has(ref)) {
          reachable.add(ref);
          queue.push(ref);
        }
      }
    }
    const schema: Schema = {
      ...strict(definition, name),
      definitions: Object.fromEntries(
        [...reachable].map((ref) => [ref, strict(definitions[ref] ?? {}, ref)]),
      ),
    };
    const kindDir = join(dir, group === "" ? version : group, version);
    await mkdir(kindDir, { recursive: true });
    await writeFile(join(kindDir, `${kind.toLowerCase()}.json`), JSON.stringify(schema));
  }
  return join(dir, "{{ .Group }}", "{{ .ResourceAPIVersion }}", "{{ .ResourceKind }}.json");
}
