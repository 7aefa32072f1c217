import * as z from "zod";
import { secretConfigKey, secretEnvVarName } from "../contract.js";

/** Pattern of a secret name: an upper-case, environment-style identifier. */
export const secretNamePattern = /^[A-Z][A-Z0-9_]*$/;

const plainValueMessage =
  "must be a secret reference {secret: NAME}, not a plain value: secret values never go in site files. " +
  "Store the value with `sitestack secret set <site> NAME` (encrypted stack config) or, in CI, in the " +
  `environment variable ${secretEnvVarName("NAME")}, then write {secret: NAME} here`;

const secretNameMessage =
  "must name an upper-case variable like ACME_OIDC_CLIENT_SECRET (A-Z, 0-9 and _, starting with a letter); the given value is not shown, as it may be the secret itself";

/**
 * The problem of a secret reference with fields besides `secret`. The loader reports it once, at the
 * reference, without the fields' names: a field name there may be the secret itself.
 */
export const secretRefExtraFieldsMessage =
  "a secret reference has only the field secret, like {secret: ACME_OIDC_CLIENT_SECRET}; other fields are not shown, as they may hold the secret itself";

/**
 * A reference to a secret value, written `{secret: NAME}`. The value itself is resolved by the stack
 * manager (environment variable `SITESTACK_SECRET_<NAME>` first, then the stack's encrypted config key
 * `sitestack:secrets.<NAME>`), so it never enters git.
 */
export const secretRef = z
  .strictObject(
    {
      // Never echo what was given: a value typed where the name goes is the secret itself.
      secret: z
        .string({
          error: (issue) =>
            issue.input === undefined
              ? "is required (the name of the secret, like ACME_OIDC_CLIENT_SECRET)"
              : secretNameMessage,
        })
        .regex(secretNamePattern, { error: () => secretNameMessage }),
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
        if (issue.code === "unrecognized_keys") return secretRefExtraFieldsMessage;
        return undefined;
      },
    },
  )
  .meta({
    id: "SecretRef",
    description: `Reference to a secret stored outside git: {secret: NAME}. Resolved from the environment variable ${secretEnvVarName("<NAME>")}, else from the stack config key ${secretConfigKey("<NAME>")}.`,
  });

/** A parsed secret reference. */
export type SecretRef = z.output<typeof secretRef>;
