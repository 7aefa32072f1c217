import { spawn } from "node:child_process";
import { constants, existsSync } from "node:fs";
import { access, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/**
 * Root of sitestack's per-user cache (built binaries, engine roots), outside any checkout. Same
 * default as `tools/build-go-tool.sh`.
 */
export function sitestackCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SITESTACK_CACHE_DIR || join(homedir(), ".cache", "sitestack");
}

/** Names of the tools `tools/versions.json` can build from Go modules. */
export type GoToolName =
  | "pulumi"
  | "kube-apiserver"
  | "kube-controller-manager"
  | "kube-scheduler"
  | "etcd"
  | "helm"
  | "kubeconform"
  | "kube-score"
  | "kwok"
  | "weed"
  | "pulumi-resource-kubernetes";

/** How to ask `tools/build-go-tool.sh` for a tool. */
export interface GoToolOptions {
  /**
   * Build the tool when its cached binary is absent. Without it only the path is returned, whether
   * or not a binary is there.
   * @default true
   */
  readonly build?: boolean;
  /** Receives the script's progress lines (what was cached, built, how long it took). */
  readonly onProgress?: (line: string) => void;
}

/** Raised when `tools/build-go-tool.sh` exits non-zero; `exitCode` 3 means "no Go toolchain". */
export class GoToolBuildFailed extends Error {
  constructor(
    readonly tool: string,
    readonly exitCode: number | null,
    readonly output: string,
  ) {
    super(`building ${tool} from Go modules failed (exit ${exitCode}): ${lastLine(output)}`);
    this.name = "GoToolBuildFailed";
  }
}

function lastLine(text: string): string {
  return (
    text
      .trim()
      .split("\n")
      .at(-1)
      ?.replace(/^\[build-go-tool\] /, "") ?? ""
  );
}

/**
 * The repository's `tools/build-go-tool.sh`, found by walking up from this module, so it works both
 * from the TypeScript sources and from the compiled `dist/tools/`.
 */
export function buildScriptPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "tools", "build-go-tool.sh");
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error("tools/build-go-tool.sh not found above " + import.meta.url);
    dir = parent;
  }
}

interface ManifestEntry {
  readonly name: string;
  readonly version: string;
  /** A PATH command the manifest accepts instead of a build (Debian's etcd). */
  readonly system?: string;
}

async function manifestEntry(name: GoToolName): Promise<ManifestEntry> {
  const manifestPath = join(dirname(buildScriptPath()), "versions.json");
  const manifest = JSON.parse(await readFile(manifestPath, "utf8")) as { tools: ManifestEntry[] };
  const entry = manifest.tools.find((tool) => tool.name === name);
  if (!entry) throw new Error(`${manifestPath} has no tool named ${name}`);
  return entry;
}

/** The version `tools/versions.json` builds of a tool (the version stamped into the binary). */
export async function goToolVersion(name: GoToolName): Promise<string> {
  return (await manifestEntry(name)).version;
}

/**
 * The absolute path of a tool from `tools/versions.json`: the system binary the manifest allows
 * (Debian's etcd), or the cached build `<cache>/bin/<name>-<version>/<name>`, built first when
 * absent and `options.build` is not false. The script keeps the cache layout and the versions;
 * the one shortcut here is a cached build of a tool without a system alternative, found without
 * starting the script (bash and four `jq` runs cost 0.2–0.35 s, paid on every operation for the
 * engine and again for helm in a staging's program). A test holds the two to the same answer.
 */
export async function goToolPath(name: GoToolName, options: GoToolOptions = {}): Promise<string> {
  const cached = await cachedBuildPath(name);
  if (cached !== undefined) return cached;
  const args = options.build === false ? ["--path", name] : [name];
  const { code, stdout, stderr } = await run(buildScriptPath(), args, options.onProgress);
  if (code !== 0) throw new GoToolBuildFailed(name, code, stderr);
  const path = stdout.trim().split("\n").at(-1);
  if (!path) throw new GoToolBuildFailed(name, code, "the build script printed no path");
  return path;
}

/** `<cache>/bin/<name>-<version>/<name>` when it is there and executable, for a tool built only. */
async function cachedBuildPath(name: GoToolName): Promise<string | undefined> {
  const entry = await manifestEntry(name);
  if (entry.system !== undefined) return undefined;
  const path = join(sitestackCacheDir(), "bin", `${name}-${entry.version}`, name);
  try {
    await access(path, constants.X_OK);
    return path;
  } catch {
    return undefined;
  }
}

function run(
  command: string,
  args: readonly string[],
  onProgress: ((line: string) => void) | undefined,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    // Line by line, so a progress callback never sees half a line.
    createInterface({ input: child.stderr }).on("line", (line) => {
      stderr += line + "\n";
      onProgress?.(line);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
