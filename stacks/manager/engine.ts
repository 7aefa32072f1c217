import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";

/**
 * The engine every workspace uses: one `PulumiCommand` reused by all stacks (so no workspace pays a
 * `pulumi version` spawn), and the environment that keeps it offline and quiet.
 */
export interface EngineHandle {
  readonly command: PulumiCommand;
  /** Environment added to every engine call (PULUMI_HOME, PULUMI_SKIP_UPDATE_CHECK, …). */
  readonly env: Readonly<Record<string, string>>;
  /**
   * What the user should know about this engine (e.g. that the offline Kubernetes stand-in is
   * used); the manager passes each on once as a `notice` event, so the library itself never prints.
   */
  readonly notices?: readonly string[];
}

/** Settings every workspace gets regardless of the engine's own, because they only save time. */
export const quietEngineEnv: Readonly<Record<string, string>> = {
  PULUMI_SKIP_UPDATE_CHECK: "true",
  PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
  PULUMI_SKIP_CONFIRMATIONS: "true",
};
