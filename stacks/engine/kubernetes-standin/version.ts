import { createRequire } from "node:module";

/**
 * The `kubernetes` plugin version the installed `@pulumi/kubernetes` SDK requests (its
 * package.json version). The stand-in reports exactly this version, because the engine looks
 * plugins up by exact version.
 */
export function standinProviderVersion(): string {
  const require = createRequire(import.meta.url);
  const manifest = require("@pulumi/kubernetes/package.json") as { version?: unknown };
  if (typeof manifest.version !== "string") {
    throw new Error("cannot read the version of @pulumi/kubernetes from its package.json");
  }
  return manifest.version;
}
