/**
 * Helm values of a staging, merged in one documented order (lowest first):
 *
 * 1. the chart's own defaults (`values.yaml`; Helm applies them, pass them here only to see the
 *    effective values),
 * 2. app-level overrides: `appOverrides.<app>` lands under the chart's top-level key `<app>`,
 * 3. staging-level values (`values`),
 * 4. sitestack's own values, which nothing above may set: the staging's `tag` at `image.tag` and
 *    the platform facts at `global.sitestack`.
 *
 * Merging follows Helm's rules so the result means what Helm would make of the same layers: maps
 * merge key by key, lists and scalars replace, and `null` stays in place (Helm then deletes that
 * key from the chart defaults).
 */

/** A map of Helm values. */
export type HelmValues = { [key: string]: unknown };

/** The values sitestack itself sets on every staging chart, under `global.sitestack`. */
export interface SitestackGlobals {
  /** The staging's name (also the Helm release name). */
  readonly staging: string;
  /** Name of the Secret holding the secret values, one key per dotted value path. */
  readonly secretName: string;
  /** Base domain of automatic staging hosts: the staging answers on `<staging>.<baseDomain>`. */
  readonly baseDomain: string;
}

/** The layers {@link mergeStagingValues} merges. */
export interface StagingValueLayers {
  /** The chart's defaults. @default - none (Helm applies them itself) */
  readonly chartDefaults?: HelmValues;
  /** App name → values for that app (the staging's `appOverrides`). */
  readonly appOverrides: Readonly<Record<string, HelmValues>>;
  /** The staging's `values`. */
  readonly values: HelmValues;
  /** The image tag the staging deploys. */
  readonly tag: string;
  /** Platform facts for the chart. */
  readonly sitestack: SitestackGlobals;
}

/** The value path where a staging chart takes its image tag. */
export const tagValuePath = "image.tag";

/** The value path sitestack owns in every staging chart. */
export const sitestackValuePath = "global.sitestack";

function isMap(value: unknown): value is HelmValues {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `over` merged onto `under` by Helm's rules; neither input is modified. */
export function mergeValues(under: HelmValues, over: HelmValues): HelmValues {
  const merged: HelmValues = { ...under };
  for (const [key, value] of Object.entries(over)) {
    const below = merged[key];
    merged[key] = isMap(below) && isMap(value) ? mergeValues(below, value) : value;
  }
  return merged;
}

/** A map holding `value` at a dotted path: `("image.tag", "1")` → `{image: {tag: "1"}}`. */
export function valuesAtPath(path: string, value: unknown): HelmValues {
  return path
    .split(".")
    .reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as HelmValues;
}

/** The value at a dotted path, or undefined when any step is missing. */
export function valueAtPath(values: HelmValues, path: string): unknown {
  let node: unknown = values;
  for (const key of path.split(".")) {
    if (!isMap(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

/** Merges a staging's value layers in the documented order (see the module comment). */
export function mergeStagingValues(layers: StagingValueLayers): HelmValues {
  const apps = Object.entries(layers.appOverrides).map(([app, values]) => ({ [app]: values }));
  return [
    ...apps,
    layers.values,
    valuesAtPath(tagValuePath, layers.tag),
    valuesAtPath(sitestackValuePath, { ...layers.sitestack }),
  ].reduce(mergeValues, layers.chartDefaults ?? {});
}
