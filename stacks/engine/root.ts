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
 * Makes `<cacheDir>/engine-roots/<id>/bin/pulumi`, a symlink to `binary`, puts the dynamic-provider
 * shim beside the real binary, and returns that root.
 *
 * Why: `PulumiCommand.get({ root })` only accepts a root whose `bin/pulumi` is the CLI, while the
 * cache keeps `bin/pulumi-<version>/pulumi`. The npm package ships the shim, not the CLI; a copy
 * (not a link) keeps it valid for any checkout, since it finds `@pulumi/pulumi` through NODE_PATH.
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
  // The engine wants this bundled plugin beside the real CLI binary and warns ("using … from $PATH")
  // when it meets it elsewhere first. The root's bin/ (on the engine's PATH) is only the fallback for
  // a read-only install dir that lacks one.
  const fallback = join(bin, nodejsDynamicShim);
  if (!existsSync(join(dirname(real), nodejsDynamicShim))) {
    try {
      placeShim(shimSource, dirname(real));
    } catch {
      placeShim(shimSource, bin);
      return dirname(bin);
    }
  }
  rmSync(fallback, { force: true });
  return dirname(bin);
}

function placeShim(source: string, dir: string): void {
  const target = join(dir, nodejsDynamicShim);
  if (existsSync(target) && readFileSync(target).equals(readFileSync(source))) return;
  copyFileSync(source, target);
}
