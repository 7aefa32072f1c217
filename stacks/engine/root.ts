import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { dirname, join } from "node:path";

/** Name of the bundled resource plugin that runs `pulumi.dynamic.Resource` providers. */
export const nodejsDynamicShim = "pulumi-resource-pulumi-nodejs";

/**
 * Makes `<cacheDir>/engine-roots/<id>/bin/` holding `pulumi` (a symlink to `binary`) and the
 * dynamic-provider shim, and returns that root.
 *
 * Why: `PulumiCommand.get({ root })` only accepts a root whose `bin/pulumi` is the CLI, while the
 * cache keeps `bin/pulumi-<version>/pulumi`. The Automation API puts `<root>/bin` first on the
 * engine's PATH, which is also where the engine looks for the `pulumi-nodejs` plugin. The npm
 * package ships the shim, not the CLI; a copy (not a link) keeps the root valid for any checkout.
 */
export function engineRoot(binary: string, cacheDir: string, shimSource: string): string {
  const real = realpathSync(binary);
  const id = createHash("sha256").update(real).digest("hex").slice(0, 12);
  const bin = join(cacheDir, "engine-roots", id, "bin");
  mkdirSync(bin, { recursive: true });
  const link = join(bin, "pulumi");
  if (!existsSync(link) || realpathSync(link) !== real) {
    rmSync(link, { force: true });
    symlinkSync(real, link);
  }
  placeShim(shimSource, bin);
  // The engine also looks next to the real CLI binary; an official install already has a shim there,
  // and a read-only install dir is fine because the root's bin/ is on PATH anyway.
  if (!existsSync(join(dirname(real), nodejsDynamicShim))) {
    try {
      placeShim(shimSource, dirname(real));
    } catch {
      // best effort, see above
    }
  }
  return dirname(bin);
}

function placeShim(source: string, dir: string): void {
  const target = join(dir, nodejsDynamicShim);
  if (existsSync(target) && readFileSync(target).equals(readFileSync(source))) return;
  copyFileSync(source, target);
}
