/**
 * `npm run engine`: resolves the Pulumi engine the way every sitestack workspace does and prints
 * what was found or built, where, and how long it took.
 *
 * Usage: engine [--sources configured,path,cache,installer,build]
 */
import { parseArgs } from "node:util";
import type { EngineSource } from "./env.js";
import { EngineMissing } from "../errors.js";
import { defaultEngineSources, resolveEngine } from "./resolve.js";

function parseSources(value: string | undefined): EngineSource[] {
  if (value === undefined) return [...defaultEngineSources];
  const sources = value.split(",").map((source) => source.trim());
  const unknown = sources.filter(
    (source) => !defaultEngineSources.includes(source as EngineSource),
  );
  if (unknown.length > 0) {
    throw new Error(
      `--sources: unknown ${unknown.join(", ")}; allowed: ${defaultEngineSources.join(", ")}`,
    );
  }
  return sources as EngineSource[];
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { sources: { type: "string" } } });
  const log = (line: string) => process.stderr.write(`[engine] ${line}\n`);
  try {
    const engine = await resolveEngine({
      sources: parseSources(values.sources),
      onProgress: log,
    });
    for (const { source, reason } of engine.skipped) log(`${source}: skipped, ${reason}`);
    log(`CLI: pulumi v${engine.version} from ${engine.source} (${engine.binary})`);
    log(`SDK: @pulumi/pulumi ${engine.sdkVersion} (${engine.sdkDirectory})`);
    const provider = engine.kubernetesProvider;
    log(
      `Kubernetes provider: pulumi-resource-kubernetes ${provider.version} (asked for by @pulumi/kubernetes ${provider.version}) from ${provider.source} (${provider.pluginDirectory})`,
    );
    log(`resolved in ${(engine.elapsedMs / 1000).toFixed(2)}s`);
    log(`environment: ${Object.keys(engine.env).sort().join(", ")}`);
    process.stdout.write(`${engine.binary}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof EngineMissing)) throw error;
    for (const attempt of error.detail.split("; ")) log(attempt);
    log("no engine: put pulumi on PATH, set SITESTACK_PULUMI, or install Go to build it");
    return error.exitCode;
  }
}

process.exitCode = await main();
