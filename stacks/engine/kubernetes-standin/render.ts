import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { isCustomResourceDefinition } from "./kinds.js";
import {
  isObject,
  redactSecrets,
  stripSecrets,
  stripSecretsFromMap,
  type PropertyMap,
  type PropertyValue,
} from "./properties.js";

/**
 * What a rendered file holds in place of a secret value. sitestack never lets a secret value reach
 * a file (rendered manifests are read, diffed, archived and sometimes committed); the values stay
 * encrypted in the stack state and reach a cluster only through an apply. The marker is not valid
 * base64 on purpose: applying a rendered Secret as it is fails loudly instead of storing a wrong
 * value.
 */
export const REDACTED_SECRET_VALUE = "<redacted: sitestack never writes secret values to files>";

/**
 * The file the real provider writes for an object: `<dir>/1-manifest/<apiVersion>-<kind>-<namespace>-<name>.yaml`
 * (`/` and `:` in the apiVersion become `_`, the kind is lower-cased, an empty namespace is
 * `default`); CustomResourceDefinitions go to `<dir>/0-crd/` so they can be applied first.
 */
export function renderPath(object: PropertyMap, directory: string): string {
  const apiVersion = String(object.apiVersion ?? "");
  const kind = String(object.kind ?? "");
  const metadata = isObject(object.metadata) ? stripSecretsFromMap(object.metadata) : {};
  const name = String(metadata.name ?? "");
  if (name === "") throw new Error(`cannot render ${kind} without metadata.name`);
  const namespace =
    typeof metadata.namespace === "string" && metadata.namespace !== ""
      ? metadata.namespace
      : "default";
  const fileName = `${apiVersion.replace(/[/:]/g, "_")}-${kind.toLowerCase()}-${namespace}-${name}.yaml`;
  const folder = isCustomResourceDefinition(apiVersion, kind) ? "0-crd" : "1-manifest";
  return join(directory, folder, fileName);
}

/**
 * The object as it is written to a file: every value the engine marks secret is replaced by
 * {@link REDACTED_SECRET_VALUE}, and so is every value of a Secret's `data` and `stringData`
 * (kept key by key, so a reader sees which keys the Secret has).
 */
export function redactForRendering(object: PropertyMap): PropertyMap {
  const redacted = redactSecrets(object, REDACTED_SECRET_VALUE) as PropertyMap;
  if (object.apiVersion !== "v1" || object.kind !== "Secret") return redacted;
  for (const field of ["data", "stringData"]) {
    const value = object[field];
    if (value === undefined || value === null) continue;
    const plain: PropertyValue = stripSecrets(value);
    redacted[field] = isObject(plain)
      ? Object.fromEntries(Object.keys(plain).map((key) => [key, REDACTED_SECRET_VALUE]))
      : REDACTED_SECRET_VALUE;
  }
  return redacted;
}

/** The YAML text of a rendered object (secrets redacted). */
export function renderYaml(object: PropertyMap): string {
  return stringify(redactForRendering(object), { lineWidth: 0 });
}

/** Writes an object's file (creating the folders, owner-only like the real provider); returns its path. */
export async function writeRenderedObject(object: PropertyMap, directory: string): Promise<string> {
  const path = renderPath(object, directory);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, renderYaml(object), { mode: 0o600 });
  return path;
}

/** Removes an object's file; a file that is already gone is fine. */
export async function removeRenderedObject(object: PropertyMap, directory: string): Promise<void> {
  await rm(renderPath(object, directory), { force: true });
}
