import type { CheckFailure } from "./check.js";
import { isUnknown, stripSecretsFromMap, type PropertyMap } from "./properties.js";

/** The provider settings the stand-in acts on; every other documented key is accepted and ignored. */
export interface ProviderSettings {
  /** Kubeconfig content or path. */
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly cluster?: string;
  /** Default namespace for namespaced objects that set none. */
  readonly namespace?: string;
  /** When set, objects are written as YAML files under this folder instead of applied. */
  readonly renderYamlToDirectory?: string;
  readonly enableConfigMapMutable: boolean;
  readonly enableSecretMutable: boolean;
  /** True when a setting is not known yet (a preview with a computed kubeconfig). */
  readonly hasUnknowns: boolean;
}

const CONFIG_PREFIX = "kubernetes:config:";
const STRING_KEYS = [
  "kubeconfig",
  "context",
  "cluster",
  "namespace",
  "renderYamlToDirectory",
] as const;

/**
 * Settings from a Configure request: the `kubernetes:config:*` variables (explicit providers send
 * their inputs there too; booleans and objects arrive JSON-encoded, as the SDK sends them).
 */
export function settingsFromVariables(
  variables: ReadonlyMap<string, string>,
  env: NodeJS.ProcessEnv = process.env,
): ProviderSettings {
  const values: Record<string, string> = {};
  for (const [key, value] of variables) {
    values[key.startsWith(CONFIG_PREFIX) ? key.slice(CONFIG_PREFIX.length) : key] = value;
  }
  return settingsFromRecord(values, env);
}

/** Settings from a provider resource's inputs (CheckConfig/DiffConfig). */
export function settingsFromInputs(
  inputs: PropertyMap,
  env: NodeJS.ProcessEnv = process.env,
): ProviderSettings {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(stripSecretsFromMap(inputs))) {
    if (typeof value === "string") values[key] = value;
    else if (typeof value === "boolean") values[key] = String(value);
  }
  return settingsFromRecord(values, env);
}

function settingsFromRecord(
  values: Record<string, string>,
  env: NodeJS.ProcessEnv,
): ProviderSettings {
  const text = (key: (typeof STRING_KEYS)[number]): string | undefined => {
    const value = values[key];
    return value === undefined || value === "" || isUnknown(value) ? undefined : value;
  };
  const flag = (key: string, envName: string): boolean => (values[key] ?? env[envName]) === "true";
  return {
    kubeconfig: text("kubeconfig"),
    context: text("context"),
    cluster: text("cluster"),
    namespace: text("namespace"),
    renderYamlToDirectory: text("renderYamlToDirectory"),
    enableConfigMapMutable: flag("enableConfigMapMutable", "PULUMI_K8S_ENABLE_CONFIGMAP_MUTABLE"),
    enableSecretMutable: flag("enableSecretMutable", "PULUMI_K8S_ENABLE_SECRET_MUTABLE"),
    hasUnknowns: STRING_KEYS.some((key) => isUnknown(values[key])),
  };
}

/**
 * The real provider's CheckConfig rule: a render directory excludes `cluster`, `context` and an
 * explicit `kubeconfig` (the SDK's default of `$KUBECONFIG` is allowed).
 */
export function checkProviderInputs(
  inputs: PropertyMap,
  env: NodeJS.ProcessEnv = process.env,
): CheckFailure[] {
  const plain = stripSecretsFromMap(inputs);
  const truthy = (key: string): boolean =>
    plain[key] === true || (typeof plain[key] === "string" && plain[key] !== "");
  if (!truthy("renderYamlToDirectory")) return [];
  const failures: CheckFailure[] = [];
  for (const key of ["cluster", "context", "kubeconfig"]) {
    if (!truthy(key)) continue;
    if (key === "kubeconfig" && env.KUBECONFIG && plain.kubeconfig === env.KUBECONFIG) continue;
    failures.push({
      property: key,
      reason: `"${key}" arg is not compatible with "renderYamlToDirectory" arg`,
    });
  }
  return failures;
}

/** A provider diff: which settings changed and which of them replace every object it manages. */
export interface ProviderDiff {
  readonly changed: readonly string[];
  readonly replaces: readonly string[];
}

/**
 * Compares two provider configurations. A new render directory, or a kubeconfig/context/cluster
 * change that points at another API server (or one not known yet), replaces the provider and
 * with it every object; other changes update it in place.
 */
export function diffProviderInputs(
  olds: PropertyMap,
  news: PropertyMap,
  serverOf: (settings: ProviderSettings) => string | undefined,
): ProviderDiff {
  const before = stripSecretsFromMap(olds);
  const after = stripSecretsFromMap(news);
  const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null),
  );
  const replaces: string[] = [];
  if (changed.includes("renderYamlToDirectory")) replaces.push("renderYamlToDirectory");
  const connectionKeys = changed.filter((key) =>
    ["kubeconfig", "context", "cluster"].includes(key),
  );
  if (connectionKeys.length > 0) {
    const oldSettings = settingsFromInputs(olds);
    const newSettings = settingsFromInputs(news);
    const oldServer = safely(() => serverOf(oldSettings));
    const newServer = safely(() => serverOf(newSettings));
    if (
      newSettings.hasUnknowns ||
      (oldServer !== undefined && newServer !== undefined && oldServer !== newServer)
    ) {
      replaces.push(...connectionKeys);
    }
  }
  return { changed, replaces };
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
