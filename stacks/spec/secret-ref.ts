import * as z from "zod";
import { describeValue } from "./messages.js";

/** Pattern of a secret name: an upper-case, environment-style identifier. */
export const secretNamePattern = /^[A-Z][A-Z0-9_]*$/;

/** The prefix of the environment variables secrets are read from. */
export const secretEnvPrefix = "SITESTACK_SECRET_";

/** The environment variable a secret is read from in CI, e.g. `SITESTACK_SECRET_ACME_OIDC`. */
export function secretEnvVarName(name: string): string {
  return `${secretEnvPrefix}${name}`;
}

/** The stack configuration key a secret is stored under, e.g. `sitestack:secrets.ACME_OIDC`. */
export function secretConfigKey(name: string): string {
  return `sitestack:secrets.${name}`;
}

const plainValueMessage =
  "must be a secret reference {secret: NAME}, not a plain value: secret values never go in site files. " +
  "Store the value with `sitestack secret set <site> NAME` (encrypted stack config) or, in CI, in the " +
  "environment variable SITESTACK_SECRET_NAME, then write {secret: NAME} here";

/**
 * A reference to a secret value, written `{secret: NAME}`. The value itself is resolved by the stack
 * manager (environment variable `SITESTACK_SECRET_<NAME>` first, then the stack's encrypted config key
 * `sitestack:secrets.<NAME>`), so it never enters git.
 */
export const secretRef = z
  .strictObject(
    {
      secret: z.string().regex(secretNamePattern, {
        error: (issue) =>
          `must be an upper-case secret name (A-Z, 0-9 and _, starting with a letter) like "ACME_OIDC_CLIENT_SECRET", got ${describeValue(issue.input)}`,
      }),
    },
    {
      // Never echo a plain value found here: it is most likely the secret itself.
      error: (issue) => {
        if (issue.code === "invalid_type") {
          const input = issue.input;
          if (input === undefined) return "is required (a secret reference like {secret: NAME})";
          if (
            typeof input === "string" ||
            typeof input === "number" ||
            typeof input === "boolean"
          ) {
            return plainValueMessage;
          }
          return `must be a secret reference like {secret: ACME_OIDC_CLIENT_SECRET}, got ${Array.isArray(input) ? "a list" : "null"}`;
        }
        if (issue.code === "unrecognized_keys")
          return "a secret reference has only the field: secret";
        return undefined;
      },
    },
  )
  .meta({
    id: "SecretRef",
    description:
      "Reference to a secret stored outside git: {secret: NAME}. Resolved from the environment variable SITESTACK_SECRET_<NAME>, else from the stack config key sitestack:secrets.<NAME>.",
  });

/** A parsed secret reference. */
export type SecretRef = z.output<typeof secretRef>;
