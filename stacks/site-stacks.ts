import { sharedEngine } from "./engine/resolve.js";
import type { EngineFactory, EngineHandle } from "./manager/engine.js";
import { StackManager, type StackManagerOptions } from "./manager/manager.js";
import { loadPlatformSettings } from "./platform/file.js";
import type { ProgramFactory } from "./manager/target.js";
import { reviveSiteSpec } from "./site-target.js";
import type { SiteSpec } from "./site-model/index.js";
import { stackTtlStatus } from "./staging/ttl.js";

/** Options of {@link siteStackManager}; every field has a default. */
export interface SiteStackManagerOptions extends Partial<
  Omit<StackManagerOptions<SiteSpec>, "program" | "reviveSpec" | "engine">
> {
  /** @default - the shared engine: an installed `pulumi`, the cached build, or the installer */
  readonly engine?: EngineHandle | EngineFactory;
}

let sitePrograms: Promise<typeof import("./program/index.js")> | undefined;

/**
 * Starts loading the site programs. They pull in the providers' SDKs (`@pulumi/kubernetes` alone
 * takes most of a second), which nothing needs until the engine asks for the program: the manager
 * starts this load once the engine process has started (`preloadProgram`), so it overlaps the
 * engine's start-up instead of delaying it (loading on the same thread as reading the backend, it
 * held the engine's start back by about that much).
 */
export function loadSitePrograms(): Promise<typeof import("./program/index.js")> {
  sitePrograms ??= import("./program/index.js");
  return sitePrograms;
}

const lazySiteProgram: ProgramFactory<SiteSpec> = (spec, context) => async () =>
  (await loadSitePrograms()).siteProgram(spec, context)();

/**
 * The one composition root: a stack manager for site files, wired with the engine, the site
 * program dispatcher, the spec validator, the staging TTL rule and the platform settings (the
 * project's platform file `sitestack.yaml`, see `loadPlatformSettings`). The CLI, the PR pipeline, the
 * commander and library users all start here.
 */
export function siteStackManager(options: SiteStackManagerOptions = {}): StackManager<SiteSpec> {
  const env = options.env ?? process.env;
  const projectDir = options.projectDir ?? process.cwd();
  return new StackManager<SiteSpec>({
    projectDir,
    engine: options.engine ?? sharedEngine,
    program: lazySiteProgram,
    preloadProgram: loadSitePrograms,
    reviveSpec: reviveSiteSpec,
    platform: options.platform ?? loadPlatformSettings(projectDir, env),
    ttl: options.ttl ?? stackTtlStatus,
    env,
    ...(options.state === undefined ? {} : { state: options.state }),
    ...(options.parallel === undefined ? {} : { parallel: options.parallel }),
  });
}
