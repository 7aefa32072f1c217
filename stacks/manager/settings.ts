import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Where stacks keep their state and how their secrets are encrypted. */
export interface StateSettings {
  /**
   * The Pulumi backend URL: `file://…` (the default), `s3://…`, `azblob://…`, `postgres://…` or
   * `https://api.pulumi.com`.
   */
  readonly backendUrl: string;
  /**
   * The secrets provider of new stacks: `passphrase` (the default; the passphrase comes from
   * `PULUMI_CONFIG_PASSPHRASE` or `PULUMI_CONFIG_PASSPHRASE_FILE`) or a KMS URL such as
   * `awskms://alias/sitestack` or `azurekeyvault://…`.
   */
  readonly secretsProvider: string;
  /**
   * True when the backend is the embedded default (`.sitestack/state` of this project), which
   * nobody else shares; sitestack may then keep a local passphrase for it.
   */
  readonly embeddedDefaultBackend: boolean;
  /** The backend folder when `backendUrl` is `file://`, else undefined. */
  readonly stateDir?: string;
  /** One workspace folder per stack lives here (it also holds each stack's config file). */
  readonly workspacesDir: string;
  /** The registry folder (one small record per stack). */
  readonly registryDir: string;
}

/** Overrides of the state settings; every field falls back to the environment, then a default. */
export interface StateSettingsInput {
  readonly backendUrl?: string;
  readonly secretsProvider?: string;
  readonly workspacesDir?: string;
  readonly registryDir?: string;
}

/**
 * Resolves the state settings of a project. Defaults: everything under `<projectDir>/.sitestack/`
 * — the `file://` backend in `state/`, workspaces in `workspaces/`, the registry in `registry/` —
 * and the passphrase secrets provider. Environment: `SITESTACK_BACKEND_URL` (else
 * `PULUMI_BACKEND_URL`) and `SITESTACK_SECRETS_PROVIDER`.
 */
export function resolveStateSettings(
  projectDir: string,
  input: StateSettingsInput = {},
  env: NodeJS.ProcessEnv = process.env,
): StateSettings {
  const root = join(resolve(projectDir), ".sitestack");
  const embeddedDefault = pathToFileURL(join(root, "state")).href;
  const backendUrl =
    input.backendUrl ?? env.SITESTACK_BACKEND_URL ?? env.PULUMI_BACKEND_URL ?? embeddedDefault;
  const stateDir = fileBackendDir(backendUrl, projectDir);
  return {
    backendUrl,
    secretsProvider: input.secretsProvider ?? env.SITESTACK_SECRETS_PROVIDER ?? "passphrase",
    embeddedDefaultBackend: backendUrl === embeddedDefault,
    ...(stateDir === undefined ? {} : { stateDir }),
    workspacesDir: input.workspacesDir ?? join(root, "workspaces"),
    registryDir: input.registryDir ?? join(root, "registry"),
  };
}

/**
 * The folder of a `file://` backend: `file:///abs/path`, or `file://rel/path` relative to the
 * project (Pulumi accepts both); undefined for any other backend.
 */
export function fileBackendDir(backendUrl: string, projectDir: string): string | undefined {
  if (!backendUrl.startsWith("file://")) return undefined;
  if (backendUrl.startsWith("file:///")) return fileURLToPath(backendUrl);
  return resolve(projectDir, backendUrl.slice("file://".length));
}
