import * as pulumi from "@pulumi/pulumi";
import { configNamespace, secretConfigName, secretEnvVarName } from "../contract.js";
import type { PlatformSettings, ProgramContext } from "./context.js";

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
      const fromEnv =
        input.secrets === "env-or-config" ? input.env[secretEnvVarName(name)] : undefined;
      return fromEnv !== undefined
        ? pulumi.secret(fromEnv)
        : config.requireSecret(secretConfigName(name));
    },
  };
}
