import { ValidationFailed } from "../errors.js";
import { openBackendStore } from "./backend/store.js";
import { StoreFacts } from "./backend/store-facts.js";
import type { StateSettings } from "./settings.js";
import { projectName, StatusView } from "./status-view.js";

/**
 * The stack facts of a project's backend, read straight from its objects (no engine, no Pulumi
 * SDK), with the local cache of this checkout.
 * @throws ValidationFailed for a backend whose objects sitestack cannot read (see docs/stacks.md).
 */
export async function openStoreFacts(
  settings: StateSettings,
  projectDir: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<StoreFacts> {
  const store = await openBackendStore(settings.backendUrl, projectDir, env);
  if (store === undefined) {
    throw new ValidationFailed([
      {
        file: "<backend>",
        line: 1,
        col: 1,
        path: "",
        message: `sitestack reads stack status straight from file:// and s3:// (S3-compatible) backends; ${redactedUrl(settings.backendUrl)} is not one of them`,
      },
    ]);
  }
  return new StoreFacts(
    store,
    projectName,
    StoreFacts.cacheFileFor(settings.cacheDir, settings.backendUrl),
  );
}

/** The status view of a project's backend (what `sitestack status`/`list` read). */
export async function openStatusView(
  settings: StateSettings,
  projectDir: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<StatusView> {
  return new StatusView(await openStoreFacts(settings, projectDir, env));
}

/** A backend URL without user-info or query (which may carry credentials), for messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    parsed.search = "";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//").replace(/\?.*$/, "");
  }
}
