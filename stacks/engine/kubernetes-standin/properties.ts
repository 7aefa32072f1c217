/**
 * Property values as the engine sends them over gRPC (`google.protobuf.Struct` turned into plain
 * JavaScript), with its two special forms: secrets, which arrive wrapped in a signature object, and
 * unknowns (values computed later during a preview), which arrive as a sentinel string.
 */

/** A JSON value as carried by a protobuf `Struct`. */
export type PropertyValue =
  null | boolean | number | string | PropertyValue[] | { [key: string]: PropertyValue };

/** An object of property values (a resource's inputs or outputs). */
export type PropertyMap = { [key: string]: PropertyValue };

/** The key that marks a special object (secret, asset, resource reference) in the wire format. */
export const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
/** The signature of a secret: `{ [SIGNATURE_KEY]: SECRET_SIGNATURE, value }`. */
export const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
/** The sentinel the engine sends for a value that is not known yet (preview only). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True for a plain object (not an array, not null). */
export function isObject(value: unknown): value is PropertyMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True when `value` is a secret wrapper. */
export function isSecret(value: unknown): value is PropertyMap {
  return isObject(value) && value[SIGNATURE_KEY] === SECRET_SIGNATURE;
}

/** Wraps a value as a secret (a value that is already a secret is returned as it is). */
export function makeSecret(value: PropertyValue): PropertyValue {
  return isSecret(value) ? value : { [SIGNATURE_KEY]: SECRET_SIGNATURE, value };
}

/** The value inside a secret wrapper, or the value itself when it is not a secret. */
export function unwrapSecret(value: PropertyValue | undefined): PropertyValue | undefined {
  return isSecret(value) ? (value.value ?? null) : value;
}

/** True for the unknown sentinel. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN_VALUE;
}

/** Removes every secret wrapper, at any depth, keeping the wrapped values. */
export function stripSecrets(value: PropertyValue): PropertyValue {
  if (isSecret(value)) return stripSecrets(value.value ?? null);
  if (Array.isArray(value)) return value.map(stripSecrets);
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripSecrets(v)]));
  }
  return value;
}

/** Removes every secret wrapper from an object of properties. */
export function stripSecretsFromMap(map: PropertyMap): PropertyMap {
  return stripSecrets(map) as PropertyMap;
}

/** True when a secret wrapper appears anywhere inside `value`. */
export function containsSecret(value: PropertyValue | undefined): boolean {
  if (value === undefined) return false;
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (isObject(value)) return Object.values(value).some(containsSecret);
  return false;
}

/** True when the unknown sentinel appears anywhere inside `value`. */
export function containsUnknown(value: PropertyValue | undefined): boolean {
  if (value === undefined) return false;
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isObject(value)) return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * Replaces every secret-wrapped value, at any depth, by `marker`. Used for rendered files, which
 * must never hold a secret value.
 */
export function redactSecrets(value: PropertyValue, marker: string): PropertyValue {
  if (isSecret(value)) return marker;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, marker));
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v, marker)]));
  }
  return value;
}

/**
 * Marks each top-level output as secret when the input of the same name held a secret anywhere,
 * the same granularity the real provider uses (`annotateSecrets`): it keeps a secret input from
 * reappearing in plain text among the outputs that the API server echoes back.
 */
export function carrySecretness(outputs: PropertyMap, inputs: PropertyMap): PropertyMap {
  const result: PropertyMap = {};
  for (const [key, value] of Object.entries(outputs)) {
    result[key] = containsSecret(inputs[key]) ? makeSecret(stripSecrets(value)) : value;
  }
  return result;
}
