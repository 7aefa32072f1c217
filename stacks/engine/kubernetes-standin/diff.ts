import { isAutonamed } from "./check.js";
import { apiGroupOf } from "./kinds.js";
import {
  isObject,
  isUnknown,
  stripSecrets,
  stripSecretsFromMap,
  type PropertyMap,
  type PropertyValue,
} from "./properties.js";

/** Keys the provider adds to its state next to the live object (same names as the real provider). */
export const STATE_INPUTS_KEY = "__inputs";
export const STATE_INITIAL_API_VERSION_KEY = "__initialApiVersion";

/** One changed property, by Pulumi property path (`spec.template.spec.containers[0].image`). */
export interface PropertyChange {
  readonly path: string;
  readonly kind: "add" | "delete" | "update";
  /** True when this change can only be made by replacing the object. */
  readonly replace: boolean;
}

/** What `diffResource` compares. */
export interface DiffInput {
  /** The inputs recorded at the last create/update/refresh. */
  readonly oldInputs: PropertyMap;
  /** The recorded state: the live object plus `__inputs`. */
  readonly oldState: PropertyMap;
  /** The checked inputs from the program. */
  readonly news: PropertyMap;
  readonly namespaced: boolean;
  /** `ignoreChanges` paths of the resource (top-level keys or dotted paths). */
  readonly ignoreChanges?: readonly string[];
  /** Provider settings that make ConfigMap/Secret data updatable in place. */
  readonly configMapMutable?: boolean;
  readonly secretMutable?: boolean;
}

/** The changes, which of them force a replacement, and whether the old object must go first. */
export interface DiffOutput {
  readonly changes: readonly PropertyChange[];
  readonly replaces: readonly string[];
  readonly deleteBeforeReplace: boolean;
}

type Segment = string | number;

// Fields the API server refuses to change (or that the real provider replaces on), by group/kind.
// `except` lists sub-paths that stay updatable inside a replaced field.
interface ReplaceRule {
  readonly replaceOn: readonly string[];
  readonly except?: readonly string[];
}

const IDENTITY_FIELDS = ["apiVersion", "kind", "metadata.name", "metadata.namespace"];

const REPLACE_RULES: Readonly<Record<string, ReplaceRule>> = {
  "apps/Deployment": { replaceOn: ["spec.selector"] },
  "apps/DaemonSet": { replaceOn: ["spec.selector"] },
  "apps/StatefulSet": {
    replaceOn: [
      "spec.selector",
      "spec.volumeClaimTemplates",
      "spec.serviceName",
      "spec.podManagementPolicy",
      "spec.revisionHistoryLimit",
    ],
  },
  "/PersistentVolumeClaim": { replaceOn: ["spec"], except: ["spec.resources.requests"] },
  "/Pod": { replaceOn: ["spec"] },
  "/Service": { replaceOn: ["spec.clusterIP"] },
  "batch/Job": {
    replaceOn: ["spec.template", "spec.selector", "spec.completions", "spec.parallelism"],
  },
  "rbac.authorization.k8s.io/RoleBinding": { replaceOn: ["roleRef"] },
  "rbac.authorization.k8s.io/ClusterRoleBinding": { replaceOn: ["roleRef"] },
  "storage.k8s.io/StorageClass": { replaceOn: ["parameters", "provisioner"] },
};

/**
 * Compares the new inputs with the recorded live object pruned to the shape of the old inputs
 * (fields the server added are not changes), the way the real provider diffs since v4. Replacement
 * follows the identity fields, the immutable fields above, and the provider's default of
 * replacing ConfigMaps and Secrets when their data changes.
 */
export function diffResource(input: DiffInput): DiffOutput {
  const live = withoutStateKeys(stripSecretsFromMap(input.oldState));
  const recordedInputs = stripSecretsFromMap(
    Object.keys(input.oldInputs).length > 0
      ? input.oldInputs
      : asMap(input.oldState[STATE_INPUTS_KEY] ?? live),
  );
  const oldInputs = normalize(recordedInputs, input.namespaced);
  const before = normalize(
    prune(normalize(live, input.namespaced), oldInputs) as PropertyMap,
    input.namespaced,
  );
  const after = normalize(stripSecretsFromMap(input.news), input.namespaced);

  const rules = replaceRules(after, input);
  const ignored = (input.ignoreChanges ?? []).map(parseRulePath);
  const changes: PropertyChange[] = [];
  collectChanges(before, after, [], (path, kind) => {
    if (ignored.some((rule) => startsWith(path, rule))) return;
    changes.push({ path: formatPath(path), kind, replace: forcesReplacement(path, rules) });
  });

  const replaces = changes.filter((c) => c.replace).map((c) => c.path);
  const newMetadata = asMap(after.metadata);
  const oldMetadata = asMap(live.metadata);
  const deleteBeforeReplace =
    replaces.length > 0 &&
    typeof newMetadata.name === "string" &&
    !isUnknown(newMetadata.name) &&
    !isAutonamed(newMetadata) &&
    newMetadata.name === oldMetadata.name &&
    (newMetadata.namespace ?? "") === (asMap(before.metadata).namespace ?? "");
  return { changes, replaces, deleteBeforeReplace };
}

/**
 * Keeps only the parts of `live` that `inputs` set, so that defaults and status added by the API
 * server do not show up as changes.
 */
export function prune(live: PropertyValue, inputs: PropertyValue): PropertyValue {
  if (isObject(live) && isObject(inputs)) {
    const result: PropertyMap = {};
    for (const [key, value] of Object.entries(inputs)) {
      const liveValue = live[key];
      if (liveValue !== undefined) result[key] = prune(liveValue, value);
    }
    return result;
  }
  if (Array.isArray(live) && Array.isArray(inputs) && live.length === inputs.length) {
    return live.map((item, i) => prune(item, inputs[i] ?? null));
  }
  return live;
}

/** Formats path segments as a Pulumi property path: `metadata.labels["app.kubernetes.io/name"]`. */
export function formatPath(path: readonly Segment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function withoutStateKeys(state: PropertyMap): PropertyMap {
  const live = { ...state };
  delete live[STATE_INPUTS_KEY];
  delete live[STATE_INITIAL_API_VERSION_KEY];
  return live;
}

// Puts semantically equal objects into one shape: no read-only metadata, Secret `stringData`
// folded into base64 `data` (what the API server stores), the namespace as the server sees it.
function normalize(object: PropertyMap, namespaced: boolean): PropertyMap {
  const metadata: PropertyMap = { ...asMap(object.metadata) };
  for (const field of [
    "creationTimestamp",
    "deletionGracePeriodSeconds",
    "deletionTimestamp",
    "generation",
    "managedFields",
    "resourceVersion",
    "uid",
  ]) {
    delete metadata[field];
  }
  if (namespaced) metadata.namespace = metadata.namespace ?? "default";
  else delete metadata.namespace;
  const result: PropertyMap = { ...object, metadata };
  if (object.apiVersion === "v1" && object.kind === "Secret" && isObject(object.stringData)) {
    const entries = Object.entries(object.stringData);
    if (entries.every(([, v]) => typeof v === "string" && !isUnknown(v))) {
      const data: PropertyMap = { ...asMap(object.data) };
      for (const [key, value] of entries) {
        data[key] = Buffer.from(value as string, "utf8").toString("base64");
      }
      result.data = data;
      delete result.stringData;
    }
  }
  return result;
}

function collectChanges(
  before: PropertyValue | undefined,
  after: PropertyValue | undefined,
  path: Segment[],
  report: (path: Segment[], kind: PropertyChange["kind"]) => void,
): void {
  if (isUnknown(after)) {
    report(path, before === undefined ? "add" : "update");
    return;
  }
  if (after === undefined || after === null) {
    if (before !== undefined && before !== null) report(path, "delete");
    return;
  }
  if (before === undefined || before === null) {
    report(path, "add");
    return;
  }
  if (isObject(before) && isObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      collectChanges(before[key], after[key], [...path, key], report);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    after.forEach((item, i) => collectChanges(before[i], item, [...path, i], report));
    return;
  }
  if (JSON.stringify(stripSecrets(before)) !== JSON.stringify(stripSecrets(after))) {
    report(path, "update");
  }
}

interface ResolvedRules {
  readonly replaceOn: readonly Segment[][];
  readonly except: readonly Segment[][];
}

function replaceRules(object: PropertyMap, input: DiffInput): ResolvedRules {
  const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
  const kind = typeof object.kind === "string" ? object.kind : "";
  const key = `${apiGroupOf(apiVersion)}/${kind}`;
  const rule = REPLACE_RULES[key] ?? { replaceOn: [] };
  const replaceOn = [...IDENTITY_FIELDS, ...rule.replaceOn];
  const immutable = object.immutable === true;
  if (key === "/Secret") {
    replaceOn.push("type");
    if (!input.secretMutable || immutable) replaceOn.push("data", "stringData");
  }
  if (key === "/ConfigMap" && (!input.configMapMutable || immutable)) {
    replaceOn.push("data", "binaryData");
  }
  return {
    replaceOn: replaceOn.map(parseRulePath),
    except: (rule.except ?? []).map(parseRulePath),
  };
}

function forcesReplacement(path: Segment[], rules: ResolvedRules): boolean {
  if (rules.except.some((rule) => startsWith(path, rule))) return false;
  // A change below a replaced field replaces; so does a change to a whole parent of one.
  return rules.replaceOn.some((rule) => startsWith(path, rule) || startsWith(rule, path));
}

function parseRulePath(path: string): Segment[] {
  return path.split(".").map((part) => (part === "*" ? "*" : part));
}

function startsWith(path: readonly Segment[], prefix: readonly Segment[]): boolean {
  if (prefix.length > path.length) return false;
  return prefix.every((segment, i) => segment === "*" || segment === path[i]);
}

function asMap(value: unknown): PropertyMap {
  return isObject(value) ? value : {};
}
