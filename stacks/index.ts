/**
 * sitestack as a library: the public door of the `sitestack` package (`import … from "sitestack"`).
 * Everything another Node service needs to validate site files and to create and operate their
 * stacks; anything not exported here is internal and may change without notice.
 *
 * ```ts
 * import { loadSiteFile, siteStackManager, siteTarget } from "sitestack";
 *
 * const loaded = await loadSiteFile("sites/acme.yaml");
 * if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join("\n"));
 * const manager = siteStackManager({ projectDir: process.cwd() });
 * const outcome = await manager.up(siteTarget(loaded.spec, "sites/acme.yaml"), {
 *   onEvent: (event) => console.log(event.type, event.stack),
 * });
 * console.log(outcome.status, (await manager.status(outcome.stack)).outputs);
 * ```
 *
 * The library never prints: progress comes as {@link ManagerEvent}s, failures as the typed errors
 * below, each with its exit code and HTTP status from {@link errorTable}.
 */

// The composition root and the manager it returns.
export { siteStackManager, type SiteStackManagerOptions } from "./site-stacks.js";
export { siteTarget } from "./site-target.js";
export {
  StackManager,
  projectName,
  type HistoryEntry,
  type ManagerEvent,
  type OperationOptions,
  type OperationOutcome,
  type StackManagerOptions,
  type StackStatusReport,
} from "./manager/manager.js";
export type { ProgramFactory, StackTarget } from "./manager/target.js";
export { runFleet, type FleetOptions, type FleetRow } from "./manager/fleet.js";
export type { LifecycleVerb, Lifecycle, MutatingVerb, StackStatus } from "./manager/status.js";
export type { ChangeSummary, ResourceChange } from "./manager/changes.js";
export type { StackMetadata } from "./manager/metadata.js";
export type { OperationRecord, OperationResult } from "./manager/operation-record.js";
export type { TtlRule, TtlStatus, TtlSubject } from "./manager/ttl.js";

// Where state, config and caches live.
export {
  resolveStateSettings,
  stackConfigDirName,
  type StateSettings,
  type StateSettingsInput,
} from "./manager/settings.js";

// Platform settings: the platform file sitestack.yaml (test domains, routing, ACME, NetworkPolicy,
// clusters, default resources), then the environment's Kubernetes target (render or cluster).
export {
  loadPlatformSettings,
  parsePlatformText,
  platformFileName,
  platformFilePath,
  type PlatformFile,
} from "./platform/file.js";
export { platformFromEnv, defaultRenderDirectory } from "./platform/env.js";
export {
  defaultPlatformSettings,
  kubernetesTargetOf,
  type ClusterConnection,
  type KubernetesTarget,
  type PlatformResources,
  type PlatformSettings,
} from "./platform/settings.js";
export type { ProgramContext } from "./platform/program-context.js";

// The engine: found once per process by default; pass your own to choose it.
export type { EngineFactory, EngineHandle } from "./manager/engine.js";
export {
  resolveEngine,
  sharedEngine,
  type ResolveEngineOptions,
  type ResolvedEngine,
} from "./engine/resolve.js";
export type { EngineSource } from "./engine/env.js";

// Typed errors and what they mean to a shell and to an HTTP client.
export {
  EngineMissing,
  OperationFailed,
  SitestackError,
  StackLocked,
  StackNotFound,
  ValidationFailed,
  errorTable,
  exitCodeOf,
  exitOk,
  httpStatusOf,
  internalError,
  type LockHolder,
  type SitestackErrorName,
} from "./errors.js";

// The stack contract: stack names, config keys, environment variables, lock holders.
export {
  configNamespace,
  describeHolder,
  envVars,
  secretConfigKey,
  secretEnvVarName,
  siteFileOfStack,
  siteNameOfStack,
  stackNameOf,
  stackPrefixes,
  type Holder,
} from "./contract.js";

// Site files: parse, validate.
export {
  apiVersion,
  collectSiteFiles,
  formatProblem,
  loadSiteFile,
  loadSiteFiles,
  parseSiteText,
  siteKinds,
  siteSchema,
  SitePathNotFound,
  type AppSpec,
  type BoxSiteSpec,
  type HostRouteSpec,
  type ParseOptions,
  type ParseResult,
  type Problem,
  type SiteFile,
  type SiteFileSet,
  type SiteInput,
  type SiteKind,
  type SiteSpec,
  type StagingSpec,
} from "./site-model/index.js";
