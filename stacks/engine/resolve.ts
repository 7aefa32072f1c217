import { accessSync, constants, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation/cmd.js";
import { GoToolBuildFailed, goToolPath, sitestackCacheDir } from "../../tools/go-tool.js";
import { EngineMissing } from "../errors.js";
import { engineEnv, type EngineSource } from "./env.js";
import {
  ensureKubernetesProvider,
  type KubernetesProviderResolution,
} from "./kubernetes-provider.js";
import { engineRoot, nodejsDynamicShim } from "./root.js";
import { pulumiCommandAt } from "./version-cache.js";

/** One source the resolver tried, and why it did not give an engine. */
export interface EngineAttempt {
  readonly source: EngineSource;
  readonly reason: string;
}

/** The engine every workspace uses, with where it came from and what finding it cost. */
export interface ResolvedEngine {
  /** One `PulumiCommand`, passed as `pulumiCommand` to every `LocalWorkspace`. */
  readonly command: PulumiCommand;
  /** Environment to add to every workspace (`envVars`); see `engineEnv`. */
  readonly env: Readonly<Record<string, string>>;
  readonly source: EngineSource;
  /** The CLI that runs (`pulumi` when taken from PATH). */
  readonly binary: string;
  /** The CLI's version as it reports it, e.g. `3.259.0`. */
  readonly version: string;
  /** The installed `@pulumi/pulumi` version the CLI was matched against. */
  readonly sdkVersion: string;
  /** Where that SDK is installed. */
  readonly sdkDirectory: string;
  /** Where the Kubernetes provider comes from (see `ensureKubernetesProvider`). */
  readonly kubernetesProvider: KubernetesProviderResolution;
  /** Wall time of the whole resolution, builds included. */
  readonly elapsedMs: number;
  /** Sources tried before the one used, and why they were passed over. */
  readonly skipped: readonly EngineAttempt[];
}

/** Knobs for `resolveEngine`; the defaults suit the CLI, the library and the tests. */
export interface ResolveEngineOptions {
  /**
   * A `pulumi` binary to use before anything else.
   * @default - the SITESTACK_PULUMI environment variable
   */
  readonly configured?: string;
  /**
   * PULUMI_HOME for the engine.
   * @default - the user's `~/.pulumi` for an engine from PATH or the installer; sitestack's own
   * `<cache>/pulumi-home` for an engine it cached or built (offline machines), so plugins placed
   * there never mix with the user's
   */
  readonly pulumiHome?: string;
  /**
   * Sources to try, in this order.
   * @default ["configured", "path", "cache", "installer", "build"]
   */
  readonly sources?: readonly EngineSource[];
  /**
   * How long to wait for get.pulumi.com before deciding the machine is offline.
   * @default 3000
   */
  readonly installProbeTimeoutMs?: number;
  /**
   * Receives progress lines: what is being built from Go modules (the engine, the Kubernetes
   * provider), elapsed time and an estimate, and installer steps.
   */
  readonly onProgress?: (line: string) => void;
}

/** The order the issue asks for: what the user has, what we built before, download, build. */
export const defaultEngineSources: readonly EngineSource[] = [
  "configured",
  "path",
  "cache",
  "installer",
  "build",
];

interface Sdk {
  readonly version: string;
  readonly nodeModules: string;
  readonly shim: string;
}

/** The installed `@pulumi/pulumi`: the CLI version to match, and where its shim lives. */
function installedSdk(): Sdk {
  const packageJson = createRequire(import.meta.url).resolve("@pulumi/pulumi/package.json");
  const { version } = createRequire(import.meta.url)(packageJson) as { version: string };
  return {
    version,
    nodeModules: dirname(dirname(dirname(packageJson))),
    shim: join(dirname(packageJson), nodejsDynamicShim),
  };
}

type Found = { readonly command: PulumiCommand; readonly binary: string };
type Step = (context: StepContext) => Promise<Found | string>;

interface StepContext {
  readonly sdk: Sdk;
  readonly cacheDir: string;
  readonly options: ResolveEngineOptions;
}

/** A CLI older than the SDK may lack what the SDK asks of it; newer ones are fine. */
function checkVersion(command: PulumiCommand, sdk: Sdk): string | undefined {
  if (!command.version) return "its version could not be read";
  if (command.version.compare(sdk.version) < 0) {
    return `it is v${command.version.version}, older than @pulumi/pulumi ${sdk.version}`;
  }
  return undefined;
}

async function fromBinary(binary: string, context: StepContext): Promise<Found | string> {
  const root = engineRoot(binary, context.cacheDir, context.sdk.shim);
  const command = await pulumiCommandAt(root, context.cacheDir);
  const tooOld = checkVersion(command, context.sdk);
  return tooOld ? `${binary}: ${tooOld}` : { command, binary };
}

function findOnPath(name: string, searchPath: string | undefined): string | undefined {
  for (const dir of (searchPath ?? "").split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const steps: Record<EngineSource, Step> = {
  async configured(context) {
    const binary = context.options.configured ?? process.env.SITESTACK_PULUMI;
    if (!binary) return "SITESTACK_PULUMI is not set";
    if (!existsSync(binary)) return `SITESTACK_PULUMI=${binary} does not exist`;
    return fromBinary(binary, context);
  },
  async path(context) {
    const binary = findOnPath("pulumi", process.env.PATH);
    if (!binary) return "no pulumi on PATH";
    // From PATH as is: an official install keeps its language hosts and shims beside the CLI.
    const command = await PulumiCommand.get({ skipVersionCheck: true });
    const tooOld = checkVersion(command, context.sdk);
    return tooOld ? `${binary}: ${tooOld}` : { command, binary };
  },
  async cache(context) {
    let binary: string;
    try {
      binary = await goToolPath("pulumi", { build: false });
    } catch (error) {
      return firstLine(error);
    }
    if (!existsSync(binary)) return `no cached build at ${binary}`;
    return fromBinary(binary, context);
  },
  async installer(context) {
    const probe = "https://get.pulumi.com/install.sh";
    try {
      const response = await fetch(probe, {
        method: "HEAD",
        signal: AbortSignal.timeout(context.options.installProbeTimeoutMs ?? 3000),
      });
      if (!response.ok) return `${probe} answered ${response.status}`;
    } catch (error) {
      return `${probe} unreachable (${describeFetchError(error)})`;
    }
    const root = join(context.cacheDir, "pulumi-install", context.sdk.version);
    context.options.onProgress?.(`installing Pulumi ${context.sdk.version} into ${root}`);
    try {
      const command = await PulumiCommand.install({ root, skipVersionCheck: true });
      return { command, binary: command.command };
    } catch (error) {
      return `installer failed: ${firstLine(error)}`;
    }
  },
  async build(context) {
    try {
      const binary = await goToolPath("pulumi", { onProgress: context.options.onProgress });
      return fromBinary(binary, context);
    } catch (error) {
      if (error instanceof GoToolBuildFailed && error.exitCode === 3) return "no Go toolchain";
      return firstLine(error);
    }
  },
};

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? firstLine(error);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}

/**
 * Finds the Pulumi engine in the order of `options.sources` and returns the first that works, with
 * the environment that keeps it quiet and offline. Throws `EngineMissing` (stacks/errors.ts) whose
 * detail names every source tried and why it failed, when none works.
 */
export async function resolveEngine(options: ResolveEngineOptions = {}): Promise<ResolvedEngine> {
  const started = performance.now();
  const sdk = installedSdk();
  const context: StepContext = { sdk, cacheDir: sitestackCacheDir(), options };
  const skipped: EngineAttempt[] = [];
  for (const source of options.sources ?? defaultEngineSources) {
    const outcome = await steps[source](context);
    if (typeof outcome === "string") {
      skipped.push({ source, reason: outcome });
      continue;
    }
    const offline = source === "cache" || source === "build";
    // An empty string means "not given", as an unset environment variable passed through would.
    const pulumiHome =
      options.pulumiHome !== undefined && options.pulumiHome !== ""
        ? options.pulumiHome
        : offline
          ? join(context.cacheDir, "pulumi-home")
          : undefined;
    const kubernetesProvider = await ensureKubernetesProvider({
      engineSource: source,
      pulumiHome: pulumiHome ?? process.env.PULUMI_HOME ?? join(homedir(), ".pulumi"),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return {
      command: outcome.command,
      env: engineEnv({
        source,
        nodeModules: sdk.nodeModules,
        nodeBinary: process.execPath,
        path: process.env.PATH,
        pulumiHome,
      }),
      kubernetesProvider,
      source,
      binary: outcome.binary,
      version: outcome.command.version?.version ?? "unknown",
      sdkVersion: sdk.version,
      sdkDirectory: join(sdk.nodeModules, "@pulumi", "pulumi"),
      elapsedMs: performance.now() - started,
      skipped,
    };
  }
  throw new EngineMissing(
    skipped.map((attempt) => `${attempt.source}: ${attempt.reason}`).join("; "),
  );
}

let shared: Promise<ResolvedEngine> | undefined;
const progressListeners = new Set<(line: string) => void>();

/**
 * The process-wide engine: resolved once with default options, then reused by every workspace so
 * nothing pays the lookup (or a build) twice. Every caller waiting on the resolution hears its
 * progress lines. A failed resolution is not cached.
 */
export function sharedEngine(onProgress?: (line: string) => void): Promise<ResolvedEngine> {
  if (onProgress) progressListeners.add(onProgress);
  shared ??= resolveEngine({
    onProgress: (line) => {
      const text = line.replace(/^\[build-go-tool\] /, "");
      for (const listener of progressListeners) listener(text);
    },
  }).catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared.finally(() => {
    if (onProgress) progressListeners.delete(onProgress);
  });
}
