/**
 * JSON schemas for kubeconform, derived offline from the same sources the real API server uses:
 *
 * - built-in kinds from `api/openapi-spec/swagger.json` of the `k8s.io/kubernetes` Go module at the
 *   version sitestack builds kube-apiserver from (tools/versions.json), fetched through the Go
 *   module proxy like the tools themselves (kubeconform's default schema site is not reachable);
 * - cert-manager and Gateway API kinds from the upstream CRDs in `test/fixtures/crds/`.
 *
 * Schemas are strict like kubeconform's `-strict` flavour (`additionalProperties: false` on every
 * object with declared properties), written to the sitestack cache under a key of their inputs,
 * and laid out for the template in {@link kubeconformSchemaLocation}. The component manifest tests
 * and the chart tests both validate against these, so a schema quirk is fixed once.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import { sitestackCacheDir } from "../../tools/go-tool.js";

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const crdRoot = join(repoRoot, "test", "fixtures", "crds");

type Schema = Record<string, unknown>;

/** The kubeconform `-schema-location` template for a directory made by {@link kubeconformSchemas}. */
export function kubeconformSchemaLocation(dir: string): string {
  return `${dir}/{{ .Group }}/{{ .ResourceAPIVersion }}/{{ .ResourceKind }}.json`;
}

/** The Kubernetes version kube-apiserver is built at (tools/versions.json). */
export async function kubernetesVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(join(repoRoot, "tools", "versions.json"), "utf8")) as {
    tools: { name: string; version: string }[];
  };
  const apiserver = manifest.tools.find((t) => t.name === "kube-apiserver");
  if (apiserver === undefined) throw new Error("tools/versions.json has no kube-apiserver");
  return apiserver.version;
}

/** The directory of strict schemas for every built-in kind and every CRD kind; made once, cached. */
export async function kubeconformSchemas(): Promise<string> {
  const version = await kubernetesVersion();
  const crdFiles = await listCrdFiles();
  const key = createHash("sha256");
  key.update(`generator-v2 ${version}`);
  for (const file of crdFiles) key.update(await readFile(file));
  const dir = join(
    sitestackCacheDir(),
    "kubeconform-schemas",
    `k8s-${version}-${key.digest("hex").slice(0, 12)}`,
  );
  if (existsSync(join(dir, ".complete"))) return dir;

  const staging = `${dir}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const swagger = JSON.parse(await readFile(await swaggerPath(version), "utf8")) as {
    definitions: Record<string, Schema>;
  };
  for (const [file, schema] of builtInSchemas(swagger.definitions))
    await writeSchema(staging, file, schema);
  for (const file of crdFiles) {
    for (const [path, schema] of crdSchemas(await readFile(file, "utf8")))
      await writeSchema(staging, path, schema);
  }
  await writeFile(join(staging, ".complete"), "");
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  return dir;
}

async function listCrdFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const sub of (await readdir(crdRoot, { withFileTypes: true })).filter((d) =>
    d.isDirectory(),
  )) {
    for (const name of (await readdir(join(crdRoot, sub.name))).sort()) {
      if (name.endsWith(".yaml")) files.push(join(crdRoot, sub.name, name));
    }
  }
  return files.sort();
}

async function swaggerPath(version: string): Promise<string> {
  const { stdout } = await run(
    "go",
    ["mod", "download", "-json", `k8s.io/kubernetes@v${version}`],
    {
      cwd: join(repoRoot, "tools", "go", "kubernetes"),
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const dir = (JSON.parse(stdout) as { Dir?: string }).Dir;
  if (dir === undefined)
    throw new Error(`go mod download k8s.io/kubernetes@v${version} gave no Dir: ${stdout}`);
  return join(dir, "api", "openapi-spec", "swagger.json");
}

async function writeSchema(root: string, path: string, schema: Schema): Promise<void> {
  const file = join(root, path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(schema));
}

/** The file a kind's schema goes to: `<group or version>/<version>/<kind>.json`, as the template reads. */
function schemaFile(group: string, version: string, kind: string): string {
  return join(group === "" ? version : group, version, `${kind.toLowerCase()}.json`);
}

/**
 * One standalone schema per kind of the swagger definitions: the kind's definition plus every
 * definition it references (as local `#/definitions/...`), made strict.
 */
function builtInSchemas(definitions: Record<string, Schema>): [string, Schema][] {
  const result: [string, Schema][] = [];
  for (const definition of Object.values(definitions)) {
    const gvks = definition["x-kubernetes-group-version-kind"] as
      { group: string; version: string; kind: string }[] | undefined;
    if (gvks === undefined || gvks.length !== 1) continue; // list/option types carry several
    const [gvk] = gvks;
    if (gvk === undefined || definition.properties === undefined) continue;
    const used = new Set<string>();
    collectRefs(definition, definitions, used);
    const bundled: Record<string, Schema> = {};
    for (const ref of used) {
      bundled[ref] =
        ref === quantity ? quantitySchema : (convertSwagger(definitions[ref] ?? {}) as Schema);
    }
    const root = convertSwagger(definition) as Schema;
    const apiVersion = gvk.group === "" ? gvk.version : `${gvk.group}/${gvk.version}`;
    pinApiVersionAndKind(root, apiVersion, gvk.kind);
    result.push([schemaFile(gvk.group, gvk.version, gvk.kind), { ...root, definitions: bundled }]);
  }
  return result;
}

const quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";
// The swagger calls a Quantity a string, but the API server also takes a bare number (`cpu: 1`),
// as kubeconform's published schemas (openapi2jsonschema) do.
const quantitySchema: Schema = { oneOf: [{ type: "string" }, { type: "number" }] };

function collectRefs(
  schema: unknown,
  definitions: Record<string, Schema>,
  used: Set<string>,
): void {
  if (Array.isArray(schema)) {
    for (const item of schema) collectRefs(item, definitions, used);
    return;
  }
  if (typeof schema !== "object" || schema === null) return;
  const ref = (schema as Schema).$ref;
  if (typeof ref === "string") {
    const name = ref.replace("#/definitions/", "");
    if (!used.has(name)) {
      used.add(name);
      collectRefs(definitions[name], definitions, used);
    }
  }
  for (const value of Object.values(schema)) collectRefs(value, definitions, used);
}

/** Swagger 2 quirks to plain JSON schema: int-or-string and quantities, formats, strictness. */
function convertSwagger(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(convertSwagger);
  if (typeof schema !== "object" || schema === null) return schema;
  const source = schema as Schema;
  if (source.format === "int-or-string")
    return { oneOf: [{ type: "string" }, { type: "integer" }] };
  const out: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    // Formats such as int32 or byte are not JSON-schema formats; kubeconform need not judge them.
    if (key === "format" || key.startsWith("x-kubernetes-")) continue;
    out[key] =
      key === "properties"
        ? Object.fromEntries(
            Object.entries(value as Schema).map(([k, v]) => [k, convertSwagger(v)]),
          )
        : convertSwagger(value);
  }
  return strict(out);
}

function strict(schema: Schema): Schema {
  if (schema.properties !== undefined && schema.additionalProperties === undefined) {
    schema.additionalProperties = false;
  }
  return schema;
}

function pinApiVersionAndKind(root: Schema, apiVersion: string, kind: string): void {
  const properties = (root.properties ?? {}) as Schema;
  properties.apiVersion = { type: "string", enum: [apiVersion] };
  properties.kind = { type: "string", enum: [kind] };
  root.properties = properties;
  root.required = [
    ...new Set([...((root.required as string[] | undefined) ?? []), "apiVersion", "kind"]),
  ];
}

/** One schema per served version of each CRD in a YAML file (other documents are skipped). */
function crdSchemas(text: string): [string, Schema][] {
  const result: [string, Schema][] = [];
  for (const document of parseAllDocuments(text)) {
    const crd = document.toJS() as {
      kind?: string;
      spec?: {
        group: string;
        names: { kind: string };
        versions: { name: string; served: boolean; schema?: { openAPIV3Schema?: Schema } }[];
      };
    } | null;
    if (crd?.kind !== "CustomResourceDefinition" || crd.spec === undefined) continue;
    for (const version of crd.spec.versions) {
      const schema = version.schema?.openAPIV3Schema;
      if (!version.served || schema === undefined) continue;
      const root = convertCrd(schema) as Schema;
      pinApiVersionAndKind(root, `${crd.spec.group}/${version.name}`, crd.spec.names.kind);
      // CRD schemas leave metadata open; the API server checks it like any object's.
      (root.properties as Schema).metadata = { type: "object" };
      result.push([schemaFile(crd.spec.group, version.name, crd.spec.names.kind), root]);
    }
  }
  return result;
}

/** Structural-schema extensions to plain JSON schema, strict unless fields are preserved. */
function convertCrd(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(convertCrd);
  if (typeof schema !== "object" || schema === null) return schema;
  const source = schema as Schema;
  if (source["x-kubernetes-int-or-string"] === true) {
    return { anyOf: [{ type: "string" }, { type: "integer" }] };
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === "format" || key.startsWith("x-kubernetes-") || key === "nullable") continue;
    out[key] =
      key === "properties" || key === "patternProperties"
        ? Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, convertCrd(v)]))
        : convertCrd(value);
  }
  if (source.nullable === true && typeof out.type === "string") out.type = [out.type, "null"];
  if (source["x-kubernetes-preserve-unknown-fields"] === true) return out;
  return strict(out);
}
