import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";

/** A server process a fixture started, with the end of its output kept for error messages. */
export interface RunningProcess {
  readonly name: string;
  readonly pid: number | undefined;
  /** The exit code (or signal name) once it ended; undefined while it runs. */
  exitCode(): number | string | undefined;
  /** The last lines it wrote to stdout/stderr. */
  logTail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const tailBytes = 16_384;
const running = new Set<ChildProcess>();

// A test run that dies (or forgets a stop) must not leave servers behind holding ports.
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * Starts `binary args` in `cwd`, keeping the last 16 KiB of its output in memory. `env` is added to
 * (and overrides) this process's environment.
 */
export function startProcess(
  name: string,
  binary: string,
  cwd: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): RunningProcess {
  const child = spawn(binary, args, {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  running.add(child);
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-tailBytes);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exit: number | string | undefined;
  const exited = once(child, "exit").then((values) => {
    const [code, signal] = values as [number | null, NodeJS.Signals | null];
    exit = code ?? signal ?? "unknown";
    running.delete(child);
  });
  child.on("error", (error) => {
    tail += `\nspawn failed: ${error.message}`;
    exit = "spawn-error";
    running.delete(child);
  });
  return {
    name,
    pid: child.pid,
    exitCode: () => exit,
    logTail: () => tail.split("\n").slice(-40).join("\n"),
    async stop(graceMs = 10_000) {
      if (exit !== undefined) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
