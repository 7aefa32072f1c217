import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { envVars } from "../contract.js";

/** Where stacks keep their state, config and caches, and how their secrets are encrypted. */
export interface StateSettings {
  /**
   * The Pulumi backend URL: `file://…` (the default), `s3://…`, `azblob://…`, `gs://…`,
   * `postgres://…` or `https://api.pulumi.com`. The one source of truth for every machine.
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
  /**
   * The stack config folder (`stackConfigDir` of Pulumi.yaml): one `Pulumi.<stack>.yaml` per stack
   * with its encrypted secrets, committed, so every machine and plain `pulumi` read the same.
   */
  readonly configDir: string;
  /**
   * This checkout's own folder (`.sitestack/`): caches, rendered manifests, and the embedded
   * default backend with its passphrase. Never the truth about a shared stack.
   */
  readonly localDir: string;
  /** Local caches (status facts keyed by backend object versions). */
  readonly cacheDir: string;
}

/** Overrides of the state settings; every field falls back to the environment, then a default. */
export interface StateSettingsInput {
  readonly backendUrl?: string;
  readonly secretsProvider?: string;
  readonly configDir?: string;
  readonly cacheDir?: string;
}

/** The stack config folder of a project, as Pulumi.yaml's `stackConfigDir` names it. */
export const stackConfigDirName = "config";

/**
 * Resolves the state settings of a project. Defaults: the `file://` backend in
 * `<projectDir>/.sitestack/state`, stack config in `<projectDir>/config/`, caches under
 * `.sitestack/`, and the passphrase secrets provider. Environment: `SITESTACK_BACKEND_URL`
 * (else `PULUMI_BACKEND_URL`) and `SITESTACK_SECRETS_PROVIDER`.
 */
export function resolveStateSettings(
  projectDir: string,
  input: StateSettingsInput = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): StateSettings {
  const root = join(resolve(projectDir), ".sitestack");
  const embeddedDefault = pathToFileURL(join(root, "state")).href;
  const backendUrl =
    input.backendUrl ?? env[envVars.backendUrl] ?? env.PULUMI_BACKEND_URL ?? embeddedDefault;
  return {
    backendUrl,
    secretsProvider: input.secretsProvider ?? env[envVars.secretsProvider] ?? "passphrase",
    embeddedDefaultBackend: backendUrl === embeddedDefault,
    configDir: input.configDir ?? join(resolve(projectDir), stackConfigDirName),
    localDir: root,
    cacheDir: input.cacheDir ?? join(root, "cache"),
  };
}
