import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";

/**
 * The engine every workspace uses: one `PulumiCommand` reused by all stacks (so no workspace pays a
 * `pulumi version` spawn), and the environment that keeps it offline and quiet.
 */
export interface EngineHandle {
  readonly command: PulumiCommand;
  /** Environment added to every engine call (PULUMI_HOME, PULUMI_SKIP_UPDATE_CHECK, …). */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Gives the engine, resolving (and on an offline machine building) it on first use. Progress lines
 * of a one-time build go to `onProgress`; the manager passes them on as `notice` events, so the
 * library itself never prints.
 */
export type EngineFactory = (onProgress?: (line: string) => void) => Promise<EngineHandle>;

/** Settings every workspace gets regardless of the engine's own, because they only save time. */
export const quietEngineEnv: Readonly<Record<string, string>> = {
  PULUMI_SKIP_UPDATE_CHECK: "true",
  PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
  PULUMI_SKIP_CONFIRMATIONS: "true",
};
