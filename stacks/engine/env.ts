import { delimiter, dirname } from "node:path";

/** Where the engine came from; decides whether automatic plugin downloads are turned off. */
export type EngineSource = "configured" | "path" | "cache" | "installer" | "build";

/** What `engineEnv` needs to know about the process and the engine it is configuring. */
export interface EngineEnvInput {
  readonly source: EngineSource;
  /** The `node_modules` folder that holds `@pulumi/pulumi` (for the dynamic-provider shim). */
  readonly nodeModules: string;
  /** The Node binary running sitestack (`process.execPath`). */
  readonly nodeBinary: string;
  /** The PATH the engine would otherwise inherit. */
  readonly path: string | undefined;
  /** PULUMI_HOME for the engine (plugins, credentials); unset keeps the user's `~/.pulumi`. */
  readonly pulumiHome?: string;
}

/**
 * The environment every engine call gets, on top of the caller's:
 * - PULUMI_SKIP_UPDATE_CHECK: the CLI otherwise asks pulumi.com for a newer version on each run.
 * - PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION for an engine sitestack built or cached: those
 *   machines have no download site, so a missing plugin must fail at once instead of retrying.
 * - PATH starting with this Node: `pulumi-resource-pulumi-nodejs` runs `node`, and the system one
 *   may be older than the SDK accepts.
 * - NODE_PATH: the same shim finds `@pulumi/pulumi` by `require.resolve` from the engine's working
 *   directory, which for inline programs is a workspace directory outside the project.
 */
export function engineEnv(input: EngineEnvInput): Record<string, string> {
  const env: Record<string, string> = {
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PATH: [dirname(input.nodeBinary), input.path].filter(Boolean).join(delimiter),
    NODE_PATH: input.nodeModules,
  };
  if (input.source === "cache" || input.source === "build") {
    env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION = "true";
  }
  if (input.pulumiHome) env.PULUMI_HOME = input.pulumiHome;
  return env;
}
