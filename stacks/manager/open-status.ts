import { openBackendStore } from "./backend/store.js";
import { StoreFacts } from "./backend/store-facts.js";
import type { StateSettings } from "./settings.js";
import { projectName, StatusView } from "./status-view.js";
import { neverExpires, type TtlRule } from "./ttl.js";

/**
 * The stack facts of a project's backend, read straight from its objects (no engine, no Pulumi
 * SDK), with the local cache of this checkout; undefined for a backend whose objects sitestack does
 * not read (the stack manager then asks the engine: see `EngineFacts`).
 */
export async function openStoreFacts(
  settings: StateSettings,
  projectDir: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<StoreFacts | undefined> {
  const store = await openBackendStore(settings.backendUrl, projectDir, env);
  return store === undefined
    ? undefined
    : new StoreFacts(
        store,
        projectName,
        StoreFacts.cacheFileFor(settings.cacheDir, settings.backendUrl),
      );
}

/**
 * The status view of a project's backend (what `sitestack status`/`list` read), or undefined when
 * the backend's objects cannot be read directly.
 */
export async function openStatusView(
  settings: StateSettings,
  projectDir: string,
  env: Readonly<Record<string, string | undefined>>,
  ttl: TtlRule = neverExpires,
): Promise<StatusView | undefined> {
  const facts = await openStoreFacts(settings, projectDir, env);
  return facts === undefined ? undefined : new StatusView(facts, undefined, undefined, ttl);
}
