import type { StateSettings } from "../settings.js";

/**
 * A backend URL fit for a message: a password in it (`postgres://user:pw@host`) and the values of
 * query parameters that look like credentials (`sas_token=…`) become `***`; the rest is left as
 * written, so the user recognises it.
 */
export function redactBackendUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@?#:]*):[^/@?#]*@/i, "$1:***@")
    .replace(/([?&][^=&#]*(?:pass|secret|key|token|sig|credential)[^=&#]*=)[^&#]*/gi, "$1***");
}

/**
 * Which backend a message is about and where that choice came from, as a newcomer needs it after
 * switching backends: `.sitestack/state (this checkout's local default)`, or
 * `s3://team-state (PULUMI_BACKEND_URL)`.
 */
export function describeBackend(
  settings: Pick<StateSettings, "backendUrl" | "embeddedDefaultBackend">,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (settings.embeddedDefaultBackend) return ".sitestack/state (this checkout's local default)";
  const url = redactBackendUrl(settings.backendUrl);
  const from = ["SITESTACK_BACKEND_URL", "PULUMI_BACKEND_URL"].find(
    (name) => env[name] === settings.backendUrl,
  );
  return from === undefined ? url : `${url} (${from})`;
}
