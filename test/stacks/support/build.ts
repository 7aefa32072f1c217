import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

/** Where test helpers that must run as separate Node processes are compiled to. */
export const testBuildDir = join(process.cwd(), ".sitestack", "test-build");

/**
 * Compiles `entry` (and what it imports) to JavaScript under `.sitestack/test-build/`, inside the
 * project so the output resolves `node_modules`. Returns the path of the compiled entry.
 */
export async function compileForChildProcess(entry: string): Promise<string> {
  const tsc = join(process.cwd(), "node_modules", ".bin", "tsc");
  await promisify(execFile)(
    tsc,
    [
      "--outDir",
      testBuildDir,
      "--rootDir",
      process.cwd(),
      "--module",
      "nodenext",
      "--moduleResolution",
      "nodenext",
      "--target",
      "es2023",
      "--skipLibCheck",
      "--noCheck",
      "--types",
      "node",
      entry,
    ],
    { cwd: process.cwd() },
  );
  return join(testBuildDir, entry.replace(/\.ts$/, ".js"));
}
