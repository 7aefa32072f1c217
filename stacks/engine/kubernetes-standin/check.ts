import { createHash, randomBytes } from "node:crypto";
import { gvkFromTypeToken } from "./kinds.js";
import { isObject, isUnknown, unwrapSecret, type PropertyMap } from "./properties.js";

/** The annotation the real provider puts on objects it named itself. */
export const AUTONAMED_ANNOTATION = "pulumi.com/autonamed";

/** The engine's autonaming instruction for one resource (sent only when the user configured it). */
export interface AutonamingOption {
  readonly mode: "propose" | "enforce" | "disable";
  readonly proposedName: string;
}

/** Everything `checkResource` needs; the caller resolves the namespace scope of the kind. */
export interface CheckInput {
  /** The Pulumi type token, e.g. `kubernetes:apps/v1:Deployment`. */
  readonly type: string;
  /** The resource's logical name (the last part of its URN). */
  readonly name: string;
  /** The inputs checked last time (empty on create). */
  readonly olds: PropertyMap;
  /** The inputs from the program. */
  readonly news: PropertyMap;
  /** The engine's random seed for this resource, so previews and updates name it the same way. */
  readonly randomSeed: Uint8Array;
  readonly autonaming?: AutonamingOption;
  /** Namespace given to namespaced objects that set none. */
  readonly defaultNamespace: string;
  /** Whether objects of this kind live in a namespace. */
  readonly namespaced: boolean;
}

/** A problem with one input property, reported back to the user by the engine. */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** The checked inputs, or the failures that stop the operation. */
export interface CheckOutput {
  readonly inputs: PropertyMap;
  readonly failures: readonly CheckFailure[];
}

/**
 * Validates a Kubernetes object's inputs and fills in what the real provider fills in: an
 * automatic `metadata.name` (`<name>-<8 hex>`, marked with `pulumi.com/autonamed` and kept
 * across updates) and the default namespace for namespaced kinds.
 */
export function checkResource(input: CheckInput): CheckOutput {
  const gvk = gvkFromTypeToken(input.type);
  // helm.sh/v3:Release runs Helm inside the real provider; there is no Helm here.
  if (!gvk || input.type === "kubernetes:helm.sh/v3:Release") {
    return fail("", `resource type ${input.type} is not supported by the offline stand-in`);
  }
  const failures: CheckFailure[] = [];
  const { apiVersion, kind } = input.news;
  if (apiVersion !== gvk.apiVersion && !isUnknown(apiVersion)) {
    failures.push({
      property: "apiVersion",
      reason: `apiVersion must be "${gvk.apiVersion}" for ${input.type}, got ${JSON.stringify(apiVersion ?? null)}`,
    });
  }
  if (kind !== gvk.kind && !isUnknown(kind)) {
    failures.push({
      property: "kind",
      reason: `kind must be "${gvk.kind}" for ${input.type}, got ${JSON.stringify(kind ?? null)}`,
    });
  }
  if (gvk.kind.endsWith("List")) {
    failures.push({
      property: "kind",
      reason: `${gvk.kind} objects cannot be created directly; use the underlying resource type instead`,
    });
  }
  if (failures.length > 0) return { inputs: input.news, failures };

  const metadata: PropertyMap = { ...asMap(unwrapSecret(input.news.metadata)) };
  const oldMetadata = asMap(unwrapSecret(input.olds.metadata));
  if (!isNamed(metadata)) {
    if (typeof metadata.generateName === "string" && metadata.generateName !== "") {
      return fail(
        "metadata.generateName",
        "the `.metadata.generateName` field is not supported in Server-Side Apply or YAML rendering mode",
      );
    }
    const adopted = isAutonamed(oldMetadata) ? oldMetadata.name : undefined;
    let name: string;
    if (typeof adopted === "string" && adopted !== "") {
      name = adopted;
    } else if (input.autonaming?.mode === "disable") {
      return fail(
        "metadata.name",
        "autonaming is disabled, resource requires the .metadata.name field to be set",
      );
    } else if (input.autonaming) {
      name = input.autonaming.proposedName;
    } else {
      name = autoname(input.name, input.randomSeed);
    }
    metadata.name = name;
    metadata.annotations = { ...asMap(metadata.annotations), [AUTONAMED_ANNOTATION]: "true" };
  }
  if (input.namespaced && !hasValue(metadata.namespace)) {
    metadata.namespace = input.defaultNamespace;
  }
  return { inputs: { ...input.news, metadata }, failures: [] };
}

/**
 * `<name>-<8 lowercase hex>`, as pulumi-kubernetes names objects. With a seed from the engine the
 * suffix is stable for the same seed (preview and update agree); without one it is random.
 */
export function autoname(name: string, randomSeed: Uint8Array): string {
  const source =
    randomSeed.length > 0 ? createHash("sha256").update(randomSeed).digest() : randomBytes(4);
  return `${name}-${source.toString("hex").slice(0, 8)}`;
}

/** True when the object carries the autonamed annotation. */
export function isAutonamed(metadata: PropertyMap): boolean {
  return asMap(unwrapSecret(metadata.annotations))[AUTONAMED_ANNOTATION] === "true";
}

function isNamed(metadata: PropertyMap): boolean {
  return hasValue(metadata.name);
}

function hasValue(value: unknown): boolean {
  return isUnknown(value) || (typeof value === "string" && value !== "");
}

function asMap(value: unknown): PropertyMap {
  return isObject(value) ? value : {};
}

function fail(property: string, reason: string): CheckOutput {
  return { inputs: {}, failures: [{ property, reason }] };
}
