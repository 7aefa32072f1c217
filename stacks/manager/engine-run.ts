import { spawn } from "node:child_process";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import * as grpc from "@grpc/grpc-js";
import type { EngineEvent, PulumiFn } from "@pulumi/pulumi/automation/index.js";

/** The Automation API's inline-program server: serves the program to the engine over gRPC. */
interface LanguageServer {
  onPulumiExit(hasError: boolean): void;
}

// The Automation API's own pieces, which its type declarations do not export. Loaded from the same
// @pulumi/pulumi as the program, so the program runs against the one runtime state.
const pulumiInternals = createRequire(import.meta.url);
const { CommandResult } = pulumiInternals("@pulumi/pulumi/automation/cmd.js") as {
  CommandResult: new (stdout: string, stderr: string, code: number) => unknown;
};
const { createCommandError } = pulumiInternals("@pulumi/pulumi/automation/errors.js") as {
  createCommandError: (result: unknown) => Error;
};
const { grpcChannelOptions } = pulumiInternals("@pulumi/pulumi/runtime/settings.js") as {
  grpcChannelOptions: grpc.ChannelOptions;
};

/**
 * The language service that runs the inline program, loaded on first use: the Automation API's
 * server module brings the whole Pulumi runtime (about 0.3 s of module loading), which `runEngine`
 * loads only once the engine process is started, so the two start-ups overlap.
 */
function languageService(program: PulumiFn): {
  definition: grpc.ServiceDefinition;
  server: LanguageServer;
} {
  const { LanguageServer } = pulumiInternals("@pulumi/pulumi/automation/server.js") as {
    LanguageServer: new (program: PulumiFn) => LanguageServer;
  };
  const { LanguageRuntimeService } = pulumiInternals(
    "@pulumi/pulumi/proto/language_grpc_pb.js",
  ) as { LanguageRuntimeService: grpc.ServiceDefinition };
  return { definition: LanguageRuntimeService, server: new LanguageServer(program) };
}

/** One engine command of an operation. */
export interface EngineRun {
  /** The `pulumi` binary. */
  readonly binary: string;
  readonly workDir: string;
  /** `up`, `preview`, `refresh`, `destroy`, `stack init` …, without `--stack`. */
  readonly args: readonly string[];
  /** The stack (`--stack`); undefined for commands about no one stack (`stack ls`). */
  readonly stack: string | undefined;
  /** The inline program, for commands that run it (`up`, `preview`). */
  readonly program?: PulumiFn;
  /** The whole environment of the engine process (nothing else is inherited). */
  readonly env: Readonly<Record<string, string>>;
  /** Engine events as they happen (`--event-log`), for progress and change summaries. */
  readonly onEvent?: (event: EngineEvent) => void;
  /** The engine's standard output as it comes. */
  readonly onOutput?: (text: string) => void;
  /**
   * Called once the engine process is started and the program is served: work that the program
   * needs later (loading its modules) overlaps the engine's own start-up there.
   */
  readonly onStarted?: () => void;
  /** Text for the engine's standard input (secret values go here, never into arguments). */
  readonly stdin?: string;
  readonly signal?: AbortSignal;
}

/** What an engine command printed. */
export interface EngineRunResult {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one engine command the way the Automation API does (an in-process language server for the
 * inline program, `--event-log` for structured events), but as exactly one process: no
 * `pulumi version` probe, no `stack select`, and no `stack output`/`stack history` afterwards (the
 * stack manager reads the outcome from the backend's objects). The child gets only the environment
 * it is given, so sitestack's secret variables never reach another process.
 * @throws the Automation API's typed errors (`ConcurrentUpdateError`, `StackNotFoundError`,
 *   `CommandError`) for a failed command; their text never holds the command line.
 */
export async function runEngine(run: EngineRun): Promise<EngineRunResult> {
  const args = [
    ...run.args,
    ...(run.stack === undefined ? [] : ["--stack", run.stack]),
    "--non-interactive",
  ];
  let server: grpc.Server | undefined;
  let languageServer: LanguageServer | undefined;
  if (run.program !== undefined) {
    // Bound now, served once the engine runs: grpc-js takes services after binding, and nothing
    // reaches them before `runEngine` returns to the event loop.
    server = new grpc.Server({ ...grpcChannelOptions });
    const port = await new Promise<number>((resolve, reject) => {
      server?.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      );
    });
    args.push(`--client=127.0.0.1:${port}`, "--exec-kind", "auto.inline");
  }
  let logDir: string | undefined;
  let tail: EventLogTail | undefined;
  if (run.onEvent !== undefined) {
    logDir = await mkdtemp(join(tmpdir(), "sitestack-events-"));
    const logFile = join(logDir, "events.log");
    args.push("--event-log", logFile);
    tail = new EventLogTail(logFile, run.onEvent);
  }
  let failed = false;
  try {
    const finished = spawnEngine(run, args);
    // Should serving the program fail below, the engine's end is still awaited by no one else.
    finished.catch(() => undefined);
    if (server !== undefined && run.program !== undefined) {
      const service = languageService(run.program);
      languageServer = service.server;
      server.addService(
        service.definition,
        languageServer as unknown as grpc.UntypedServiceImplementation,
      );
    }
    run.onStarted?.();
    const result = await finished;
    if (result.code !== 0) {
      failed = true;
      throw createCommandError(new CommandResult(result.stdout, result.stderr, result.code));
    }
    await tail?.finish();
    return { stdout: result.stdout, stderr: result.stderr };
  } finally {
    await tail?.finish().catch(() => undefined);
    languageServer?.onPulumiExit(failed);
    server?.forceShutdown();
    if (logDir !== undefined) await rm(logDir, { recursive: true, force: true });
  }
}

function spawnEngine(
  run: EngineRun,
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(run.binary, args, {
      cwd: run.workDir,
      env: { ...run.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      run.onOutput?.(chunk);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.stdin.end(run.stdin ?? "");
    const abort = () => child.kill("SIGINT");
    run.signal?.addEventListener("abort", abort, { once: true });
    child.once("error", (error) => {
      run.signal?.removeEventListener("abort", abort);
      // Only the binary's name: the arguments are nobody's business in an error.
      const code = (error as NodeJS.ErrnoException).code;
      reject(
        Object.assign(new Error(`cannot start ${run.binary}: ${code ?? error.message}`), { code }),
      );
    });
    child.once("close", (code) => {
      run.signal?.removeEventListener("abort", abort);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Follows the engine's `--event-log` file: one JSON engine event per line. */
class EventLogTail {
  private offset = 0;
  private partial = "";
  private readonly timer: NodeJS.Timeout;
  private reading: Promise<void> = Promise.resolve();
  private finished: Promise<void> | undefined;

  constructor(
    private readonly file: string,
    private readonly onEvent: (event: EngineEvent) => void,
  ) {
    this.timer = setInterval(() => this.poll(), 100);
  }

  /** Reads what is left and stops following. */
  finish(): Promise<void> {
    this.finished ??= (async () => {
      clearInterval(this.timer);
      this.poll();
      await this.reading;
    })();
    return this.finished;
  }

  private poll(): void {
    this.reading = this.reading.then(() => this.readMore()).catch(() => undefined);
  }

  private async readMore(): Promise<void> {
    let handle;
    try {
      handle = await open(this.file, "r");
    } catch {
      return; // not written yet
    }
    try {
      for (;;) {
        const buffer = Buffer.alloc(64 * 1024);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
        if (bytesRead === 0) return;
        this.offset += bytesRead;
        const lines = (this.partial + buffer.subarray(0, bytesRead).toString("utf8")).split("\n");
        this.partial = lines.pop() ?? "";
        for (const line of lines) {
          if (line.trim() === "") continue;
          const event = JSON.parse(line) as EngineEvent;
          this.onEvent(event);
        }
      }
    } finally {
      await handle.close();
    }
  }
}
