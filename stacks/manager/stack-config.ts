import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { secretConfigKey } from "../contract.js";

/** The shared config file of a stack (`<configDir>/Pulumi.<stack>.yaml`). */
export function stackConfigFile(configDir: string, stack: string): string {
  return join(configDir, `Pulumi.${stack}.yaml`);
}

/** What a stack's config file says about its secrets (never the ciphertext of a value). */
export interface StackConfigSecrets {
  /** Whether the file exists. */
  readonly exists: boolean;
  /** The passphrase secrets provider's salt (`encryptionsalt`), when the file holds one. */
  readonly encryptionSalt?: string;
  /** The names of the secrets stored in it (`sitestack:secrets.<NAME>`), sorted. */
  readonly secretNames: readonly string[];
}

/** Reads a stack's shared config file as YAML, without the engine. */
export async function readStackConfigSecrets(
  configDir: string,
  stack: string,
): Promise<StackConfigSecrets> {
  let text: string;
  try {
    text = await readFile(stackConfigFile(configDir, stack), "utf8");
  } catch {
    return { exists: false, secretNames: [] };
  }
  const file = (parse(text) ?? {}) as {
    config?: Record<string, unknown>;
    encryptionsalt?: unknown;
  };
  const prefix = secretConfigKey("");
  return {
    exists: true,
    ...(typeof file.encryptionsalt === "string" ? { encryptionSalt: file.encryptionsalt } : {}),
    secretNames: Object.keys(file.config ?? {})
      .filter((key) => key.startsWith(prefix))
      .map((key) => key.slice(prefix.length))
      .sort(),
  };
}

/**
 * The secret names stored (encrypted) in a stack's shared config file, read as YAML without the
 * engine: only the keys are looked at, never the ciphertext.
 */
export async function storedSecretNames(configDir: string, stack: string): Promise<Set<string>> {
  return new Set((await readStackConfigSecrets(configDir, stack)).secretNames);
}
