/**
 * Entry point of the `pulumi-resource-kubernetes` stand-in plugin. The engine starts it with its
 * own gRPC address as the first argument (after optional flags such as `--logtostderr`, `-v=9`,
 * `--tracing <url>`) and reads the port of the provider's gRPC server from the first stdout line.
 */
import { standinProviderVersion } from "./version.js";
import { serveProvider } from "./server.js";

const args = process.argv.slice(2);
const engineAddress = args.find((arg, i) => !arg.startsWith("-") && args[i - 1] !== "--tracing");
const port = await serveProvider(standinProviderVersion(), engineAddress);
process.stdout.write(`${port}\n`);
