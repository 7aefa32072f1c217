import { readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation/cmd.js";
import { SemVer } from "semver";

/** What identifies one build of a binary without running it: where it really is, size and mtime. */
function identityOf(binary: string): string {
  const real = realpathSync(binary);
  const info = statSync(real);
  return `${real}:${info.size}:${info.mtimeMs}`;
}

// PulumiCommand's constructor is public in JavaScript but not in its type declarations.
const PulumiCommandOf = PulumiCommand as unknown as new (
  command: string,
  version: SemVer | null,
) => PulumiCommand;

/**
 * The `PulumiCommand` of the CLI installed under `root` (`<root>/bin/pulumi`), with the version
 * read once per binary: `PulumiCommand.get` spawns `pulumi version` every time, which every
 * sitestack process would pay before its first real engine call. The answer is cached in
 * `<cacheDir>/engine-versions.json` under the binary's identity (real path, size, mtime), so a
 * replaced binary is asked again.
 */
export async function pulumiCommandAt(root: string, cacheDir: string): Promise<PulumiCommand> {
  const command = resolve(join(root, "bin", "pulumi"));
  const file = join(cacheDir, "engine-versions.json");
  let identity: string | undefined;
  let known: Record<string, string> = {};
  try {
    identity = identityOf(command);
    known = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  } catch {
    // no cache yet, or no binary: PulumiCommand.get says what is wrong
  }
  const cached = identity === undefined ? undefined : known[identity];
  if (cached !== undefined) return new PulumiCommandOf(command, new SemVer(cached));
  const probed = await PulumiCommand.get({ root, skipVersionCheck: true });
  if (identity !== undefined && probed.version !== null) {
    known[identity] = probed.version.version;
    try {
      writeFileSync(file, `${JSON.stringify(known)}\n`);
    } catch {
      // a read-only cache only costs the probe next time
    }
  }
  return probed;
}
