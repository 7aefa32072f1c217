import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { StateSettings } from "./settings.js";

const passphraseVariables = ["PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE"] as const;

/**
 * The passphrase environment of engine calls. A passphrase the caller set is always passed on.
 * When none is set, the stacks use the passphrase secrets provider, and the state is the embedded
 * default (`.sitestack/state` of the project, nobody else's), sitestack keeps a random passphrase in
 * `.sitestack/passphrase` (mode 0600, git-ignored with the rest of `.sitestack/`), so a newcomer's
 * first `up` needs no set-up. A shared backend never gets an invented passphrase: it would lock
 * everybody else out of the stacks' secrets, so the engine's own "passphrase must be set" error
 * stands there.
 */
export async function passphraseEnv(
  env: NodeJS.ProcessEnv,
  settings: StateSettings,
  onCreated: (file: string) => void = () => {},
): Promise<Record<string, string>> {
  const given: Record<string, string> = {};
  for (const key of passphraseVariables) {
    const value = env[key];
    if (value !== undefined) given[key] = value;
  }
  if (Object.keys(given).length > 0) return given;
  if (settings.secretsProvider !== "passphrase" || !settings.embeddedDefaultBackend) return given;
  const file = join(settings.localDir, "passphrase");
  if (!existsSync(file)) {
    await mkdir(dirname(file), { recursive: true });
    // "wx": two processes starting together must not overwrite each other's passphrase.
    await writeFile(file, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" })
      .then(() => onCreated(file))
      .catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "EEXIST") throw error;
      });
  }
  return { PULUMI_CONFIG_PASSPHRASE_FILE: file };
}
