import * as pulumi from "@pulumi/pulumi";
import { valueWithUnknowns } from "../platform/preview-unknowns.js";

/**
 * What a rendered Secret holds in place of each value. sitestack never lets a secret value reach a
 * file: rendered manifests are read, diffed, archived and sometimes committed. The real provider
 * would write Secret `data` base64-encoded into the file (it warns "rendered YAML will contain a
 * secret value in plaintext"), so in render mode the values never reach it at all: the file keeps
 * the Secret's keys, and the values stay encrypted in the stack's state and config. The marker is
 * not valid base64 on purpose: applying a rendered Secret as it is fails loudly instead of storing
 * a wrong value.
 */
export const RENDERED_SECRET_VALUE = "<redacted: sitestack never writes secret values to files>";

const SECRET_TYPE = "kubernetes:core/v1:Secret";

/**
 * A resource transform for render mode: every `v1/Secret` below the component it is given to gets
 * its `data` and `stringData` values (key by key) replaced by {@link RENDERED_SECRET_VALUE}, as
 * `data`, before the provider sees them.
 */
export const redactRenderedSecrets: pulumi.ResourceTransform = async (args) => {
  if (args.type !== SECRET_TYPE) return undefined;
  const keys = new Set<string>();
  for (const field of ["data", "stringData"] as const) {
    for (const key of await keysOf(args.props[field])) keys.add(key);
  }
  const props = { ...args.props };
  delete props.stringData;
  props.data = Object.fromEntries([...keys].sort().map((key) => [key, RENDERED_SECRET_VALUE]));
  return { props, opts: args.opts };
};

/**
 * The keys of a map input, whether plain, an Output (a secret) or a map of Outputs. A map whose
 * values are unknown (a secret with no value in a preview) still has known keys.
 */
async function keysOf(value: unknown): Promise<string[]> {
  if (value === undefined || value === null || pulumi.isUnknown(value)) return [];
  if (pulumi.Output.isInstance(value)) {
    return keysOf(await valueWithUnknowns(value as pulumi.Output<unknown>));
  }
  return typeof value === "object" ? Object.keys(value) : [];
}
