import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { secretConfigKey } from "../contract.js";

/** The shared config file of a stack (`<configDir>/Pulumi.<stack>.yaml`). */
export function stackConfigFile(configDir: string, stack: string): string {
  return join(configDir, `Pulumi.${stack}.yaml`);
}

/**
 * The secret names stored (encrypted) in a stack's shared config file, read as YAML without the
 * engine: only the keys are looked at, never the ciphertext.
 */
export async function storedSecretNames(configDir: string, stack: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(stackConfigFile(configDir, stack), "utf8");
  } catch {
    return new Set();
  }
  const config = (parse(text) as { config?: Record<string, unknown> } | null)?.config ?? {};
  const prefix = secretConfigKey("");
  return new Set(
    Object.keys(config)
      .filter((key) => key.startsWith(prefix))
      .map((key) => key.slice(prefix.length)),
  );
}
