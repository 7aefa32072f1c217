import * as pulumi from "@pulumi/pulumi";
import { configNamespace, secretConfigName, secretEnvVarName } from "../contract.js";
import type { PlatformSettings } from "./settings.js";
import { unknownSecret } from "./preview-unknowns.js";

/**
 * What a program for one site file receives besides the parsed spec. The stack manager builds it;
 * programs never read `pulumi.Config`, `process.env` or files themselves.
 */
export interface ProgramContext {
  /** The stack's name, e.g. `site-acme` or `staging-pr-42`. */
  readonly stackName: string;
  /**
   * Resolves a secret reference (`{secret: NAME}` in a site file) to its value as a Pulumi secret.
   * Never call `.apply` on the result to print or log it.
   */
  secret(name: string): pulumi.Output<string>;
  /** Platform-wide settings. */
  readonly platform: PlatformSettings;
  /**
   * Whether the site's compute runs (`active`) or is archived (`archived`: workloads scaled to zero
   * or removed, data kept — volumes, certificates, DNS records, namespaces). Set by the stack
   * manager from `sitestack archive`/`restore` (recorded in the stack's `sitestack` output); a program
   * declares the same data-holding resources in both states, so archive never deletes data. Mark
   * data-holding resources `retainOnDelete: true` so `sitestack destroy` keeps them (only
   * `sitestack cleanup` deletes them).
   * @default "active"
   */
  readonly lifecycle?: "active" | "archived";
}

/** Where a program's secret references are read from. */
export type SecretSource =
  /** The environment variable `SITESTACK_SECRET_<NAME>` first, then the stack's encrypted config. */
  | "env-or-config"
  /** Only the stack's encrypted config (`sitestack:secrets.<NAME>`). */
  | "config";

/** Input of {@link buildProgramContext}. */
export interface BuildProgramContextInput {
  readonly stackName: string;
  readonly platform: PlatformSettings;
  readonly lifecycle: "active" | "archived";
  readonly secrets: SecretSource;
  /** The environment secret variables are read from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Secret names that have no value anywhere and become unknown secret values, in a preview only
   * (`sitestack ci plan` of a fork's pull request). A program that asks for one outside a preview
   * fails: `up` must never run with a value it does not have.
   * @default - none: every secret resolves from `secrets`
   */
  readonly unknownSecrets?: ReadonlySet<string>;
}

/**
 * The context a site program runs with, built inside the running Pulumi program (it reads the
 * stack's config). One builder serves both ways a program runs: inline through the stack manager,
 * and plain `pulumi up` through Pulumi.yaml (stacks/pulumi-main.ts), so secrets resolve the same way.
 */
export function buildProgramContext(input: BuildProgramContextInput): ProgramContext {
  const config = new pulumi.Config(configNamespace);
  return {
    stackName: input.stackName,
    platform: input.platform,
    lifecycle: input.lifecycle,
    secret: (name: string) => {
      if (input.unknownSecrets?.has(name) === true) {
        if (!pulumi.runtime.isDryRun()) {
          throw new Error(
            `secret ${name} has no value; it may be unknown in a preview only, never in an update`,
          );
        }
        return unknownSecret();
      }
      const fromEnv =
        input.secrets === "env-or-config" ? input.env[secretEnvVarName(name)] : undefined;
      return fromEnv !== undefined
        ? pulumi.secret(fromEnv)
        : config.requireSecret(secretConfigName(name));
    },
  };
}
