/**
 * Which processes a command starts, and when: runs it under `strace -f` (process creation and
 * `execve` only, filtered in the kernel with `--seccomp-bpf`, so the command runs at nearly full
 * speed) and turns the log into a timeline. Used by bench/operation-cost.bench.ts to split one
 * `sitestack` operation into the time before the engine, each engine process, and the time after.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

/** One process the traced command started, directly or further down. */
export interface TracedProcess {
  readonly pid: number;
  /** The process (thread group) that forked it; undefined for the root. */
  readonly parent: number | undefined;
  /** The first program it executed (a script, before its interpreter replaced it). */
  readonly file: string;
  readonly argv: readonly string[];
  /** When that `execve` started, in ms after the root's own `execve`. */
  readonly startMs: number;
  /** When it exited, in ms after the root's `execve`; undefined when the log ends first. */
  readonly endMs: number | undefined;
  /** `exited with 0`, `killed by SIGTERM` … */
  readonly exit: string | undefined;
}

/** Every process of one traced run, with times relative to the root's start. */
export interface ProcessTrace {
  readonly root: TracedProcess;
  /** Every other process that executed a program, in order of start. */
  readonly processes: readonly TracedProcess[];
}

interface Line {
  readonly pid: number;
  readonly seconds: number;
  readonly text: string;
}

const linePattern = /^(\d+)\s+(\d+\.\d+)\s+(.*)$/;
const forkCalls = /^(clone3?|v?fork)\(/;

/** Reads one C string as strace prints it (`"a\"b\n"`), from the quote at `from`. */
function readString(text: string, from: number): { value: string; end: number } {
  let value = "";
  let index = from + 1;
  while (index < text.length && text[index] !== '"') {
    if (text[index] === "\\") {
      const next = text[index + 1] ?? "";
      value += next === "n" ? "\n" : next === "t" ? "\t" : next;
      index += 2;
    } else {
      value += text[index];
      index += 1;
    }
  }
  return { value, end: index + 1 };
}

/** The path and argv of an `execve(...)` call's text. */
function execArguments(text: string): { file: string; argv: string[] } {
  const start = text.indexOf('"');
  const file = readString(text, start);
  const argv: string[] = [];
  let index = text.indexOf("[", file.end);
  while (index >= 0 && index < text.length && text[index] !== "]") {
    if (text[index] === '"') {
      const item = readString(text, index);
      argv.push(item.value);
      index = item.end;
    } else index += 1;
  }
  return { file: file.value, argv };
}

/**
 * Parses the log of `strace -f -ttt -e trace=execve,clone,clone3,fork,vfork -o FILE CMD`. Calls
 * strace split into `<unfinished ...>` and `<... resumed>` halves are joined again; threads
 * (`CLONE_THREAD`) are folded into their process, so a Go program forking from any of its threads
 * is still the parent.
 */
export function parseStrace(log: string): ProcessTrace {
  const lines: Line[] = [];
  for (const raw of log.split("\n")) {
    const match = linePattern.exec(raw);
    if (match) lines.push({ pid: Number(match[1]), seconds: Number(match[2]), text: match[3]! });
  }
  // Join split calls: the first half keeps the arguments and the time, the second the result.
  const pending = new Map<number, Line>();
  const calls: Line[] = [];
  const exits = new Map<number, { seconds: number; how: string }>();
  for (const line of lines) {
    const exit = /^\+\+\+ (exited with \d+|killed by \w+)/.exec(line.text);
    if (exit) {
      exits.set(line.pid, { seconds: line.seconds, how: exit[1]! });
      continue;
    }
    if (line.text.endsWith("<unfinished ...>")) {
      pending.set(line.pid, line);
      continue;
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(line.text);
    if (resumed) {
      const first = pending.get(line.pid);
      pending.delete(line.pid);
      if (first) {
        calls.push({
          ...first,
          text: first.text.replace(/<unfinished \.\.\.>$/, "") + resumed[1],
        });
      }
      continue;
    }
    calls.push(line);
  }
  const threadOf = new Map<number, number>(); // thread id → the thread that created it
  const forkedBy = new Map<number, number>(); // child pid → the thread that forked it
  const execs = new Map<number, { seconds: number; file: string; argv: string[] }>();
  let rootPid: number | undefined;
  for (const call of calls) {
    const result = /\)\s+=\s+(-?\d+)/.exec(call.text.slice(call.text.lastIndexOf(")")))?.[1];
    if (forkCalls.test(call.text)) {
      const child = Number(result ?? -1);
      if (child <= 0) continue;
      if (call.text.includes("CLONE_THREAD")) threadOf.set(child, call.pid);
      else forkedBy.set(child, call.pid);
    } else if (call.text.startsWith("execve(") && result === "0") {
      rootPid ??= call.pid;
      if (!execs.has(call.pid))
        execs.set(call.pid, { seconds: call.seconds, ...execArguments(call.text) });
    }
  }
  if (rootPid === undefined) throw new Error("the strace log has no successful execve");
  const processOf = (tid: number): number => {
    let current = tid;
    for (let hops = 0; threadOf.has(current) && hops < 10_000; hops += 1)
      current = threadOf.get(current)!;
    return current;
  };
  const origin = execs.get(rootPid)!.seconds;
  const toMs = (seconds: number) => (seconds - origin) * 1000;
  // The parent is the nearest ancestor that executed a program: a shell's subshells (forked, never
  // executing anything) are skipped, so `jq` in a script's `$(…)` belongs to the script.
  const parentOf = (pid: number): number | undefined => {
    let current = forkedBy.get(pid);
    for (let hops = 0; current !== undefined && hops < 10_000; hops += 1) {
      const owner = processOf(current);
      if (execs.has(owner)) return owner;
      current = forkedBy.get(owner);
    }
    return undefined;
  };
  const traced = (pid: number): TracedProcess => {
    const exec = execs.get(pid)!;
    const exit = exits.get(pid);
    return {
      pid,
      parent: parentOf(pid),
      file: exec.file,
      argv: exec.argv,
      startMs: toMs(exec.seconds),
      endMs: exit === undefined ? undefined : toMs(exit.seconds),
      exit: exit?.how,
    };
  };
  const processes = [...execs.keys()]
    .filter((pid) => pid !== rootPid)
    .map(traced)
    .sort((a, b) => a.startMs - b.startMs);
  return { root: { ...traced(rootPid), parent: undefined }, processes };
}

/** The processes `pid` started itself. */
export function childrenOf(trace: ProcessTrace, pid: number): TracedProcess[] {
  return trace.processes.filter((process) => process.parent === pid);
}

/** Every process below `pid`. */
export function descendantsOf(trace: ProcessTrace, pid: number): TracedProcess[] {
  const below = new Set([pid]);
  const found: TracedProcess[] = [];
  for (const process of trace.processes) {
    if (process.parent !== undefined && below.has(process.parent)) {
      below.add(process.pid);
      found.push(process);
    }
  }
  return found;
}

/** `pulumi up`, `pulumi stack init`, `build-go-tool.sh --path pulumi`: the program and its verb. */
export function processLabel(process: TracedProcess): string {
  // The engine's verb without its flags; other programs with their first arguments.
  const shown =
    basename(process.file) === "pulumi"
      ? process.argv.slice(1, 3).filter((word) => !word.startsWith("-"))
      : process.argv.slice(1, 4);
  return [basename(process.file), ...shown.map((arg) => (arg.length > 40 ? basename(arg) : arg))]
    .join(" ")
    .trim();
}

/** One row of an operation's timeline. */
export interface TimelineRow {
  readonly startMs: number;
  readonly endMs: number;
  readonly what: string;
  readonly kind: "in-process" | "engine" | "child";
}

/** An operation split into time in sitestack's own process and in each process it started. */
export interface OperationBreakdown {
  readonly totalMs: number;
  readonly rows: readonly TimelineRow[];
  /** The engine processes (`pulumi …`) the root started, in order. */
  readonly engine: readonly TracedProcess[];
  /** From the root's start to the first engine process (the whole run when there is none). */
  readonly beforeEngineMs: number;
  /** Between engine processes, when none ran. */
  readonly betweenEngineMs: number;
  /** From the end of the last engine process to the root's exit. */
  readonly afterEngineMs: number;
}

/**
 * Splits a traced run into a timeline: engine processes (the root's children running `pulumi`),
 * other children (scripts, helm; shown with how many processes they started in turn), and the
 * stretches where no engine process ran, which are the root process's own time.
 */
export function breakdown(trace: ProcessTrace): OperationBreakdown {
  const totalMs = trace.root.endMs ?? Math.max(0, ...trace.processes.map((p) => p.endMs ?? 0));
  const children = childrenOf(trace, trace.root.pid);
  const engine = children.filter((child) => basename(child.file) === "pulumi");
  const rows: TimelineRow[] = [];
  let cursor = 0;
  let betweenEngineMs = 0;
  const gap = (until: number, what: string) => {
    if (until - cursor > 0.5)
      rows.push({ startMs: cursor, endMs: until, what, kind: "in-process" });
  };
  for (const [index, process] of engine.entries()) {
    const endMs = process.endMs ?? totalMs;
    if (index > 0) betweenEngineMs += Math.max(0, process.startMs - cursor);
    gap(
      process.startMs,
      index === 0
        ? "in-process, before the first engine process (node start, imports, reading inputs)"
        : "in-process, between engine processes",
    );
    rows.push({ startMs: process.startMs, endMs, what: processLabel(process), kind: "engine" });
    cursor = Math.max(cursor, endMs);
  }
  const beforeEngineMs = engine[0]?.startMs ?? totalMs;
  const afterEngineMs = engine.length === 0 ? 0 : Math.max(0, totalMs - cursor);
  gap(
    totalMs,
    engine.length === 0
      ? "in-process (no engine process)"
      : "in-process, after the last engine process, until exit",
  );
  for (const child of children) {
    if (engine.includes(child)) continue;
    const below = descendantsOf(trace, child.pid).length;
    rows.push({
      startMs: child.startMs,
      endMs: child.endMs ?? totalMs,
      what: `${processLabel(child)}${below > 0 ? ` (+${below} processes it started)` : ""}`,
      kind: "child",
    });
  }
  rows.sort((a, b) => a.startMs - b.startMs || (a.kind === "in-process" ? -1 : 1));
  return { totalMs, rows, engine, beforeEngineMs, betweenEngineMs, afterEngineMs };
}

/** The breakdown as an indented table, times in seconds from the process's start. */
export function formatBreakdown(title: string, result: OperationBreakdown): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(2).padStart(6);
  const lines = [
    `${title}: ${(result.totalMs / 1000).toFixed(2)} s, ${result.engine.length} engine process(es): ${result.engine.map(processLabel).join(", ") || "none"}`,
    `    start    end   took  what`,
    ...result.rows.map(
      (row) =>
        `  ${seconds(row.startMs)} ${seconds(row.endMs)} ${seconds(row.endMs - row.startMs)}  ${row.kind === "in-process" ? "" : `${row.kind}: `}${row.what}`,
    ),
    `  before the first engine process ${(result.beforeEngineMs / 1000).toFixed(2)} s; between engine processes ${(result.betweenEngineMs / 1000).toFixed(2)} s; after the last ${(result.afterEngineMs / 1000).toFixed(2)} s; in engine processes ${(result.engine.reduce((sum, p) => sum + ((p.endMs ?? result.totalMs) - p.startMs), 0) / 1000).toFixed(2)} s`,
  ];
  return lines.join("\n");
}

/** What a finished process did. */
export interface ProcessRun {
  readonly code: number | null;
  /** From `spawn` to the `close` event, as a user at a shell sees it. */
  readonly wallMs: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The process timeline, when run with `trace`. */
  readonly trace?: ProcessTrace;
}

/** Options of {@link runProcess}. */
export interface RunProcessOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Run under strace and return the process timeline (see {@link straceAvailable}). */
  readonly trace?: boolean;
  readonly stdin?: string;
}

/** True when `strace` runs here with kernel-side filtering (`--seccomp-bpf`). */
export function straceAvailable(): boolean {
  const probe = spawnSync("strace", [
    "-f",
    "--seccomp-bpf",
    "-e",
    "trace=execve",
    "-o",
    "/dev/null",
    "true",
  ]);
  return probe.status === 0;
}

/** Runs a command to its end, timing it whole; optionally under strace. */
export async function runProcess(
  command: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<ProcessRun> {
  let logDir: string | undefined;
  let file = command;
  let argv = [...args];
  if (options.trace === true) {
    logDir = await mkdtemp(join(tmpdir(), "sitestack-trace-"));
    file = "strace";
    argv = [
      "-f",
      "--seccomp-bpf",
      "-e",
      "trace=execve,clone,clone3,fork,vfork",
      "-e",
      "signal=none",
      "-ttt",
      "-s",
      "256",
      "-o",
      join(logDir, "strace.log"),
      "--",
      command,
      ...args,
    ];
  }
  try {
    const started = performance.now();
    const result = await new Promise<Omit<ProcessRun, "wallMs" | "trace">>((resolve, reject) => {
      const child = spawn(file, argv, { cwd: options.cwd, env: { ...options.env } });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.stdin.end(options.stdin ?? "");
      child.once("error", reject);
      child.once("close", (code) => resolve({ code, stdout, stderr }));
    });
    const wallMs = performance.now() - started;
    if (logDir === undefined) return { ...result, wallMs };
    const trace = parseStrace(await readFile(join(logDir, "strace.log"), "utf8"));
    return { ...result, wallMs, trace };
  } finally {
    if (logDir !== undefined) await rm(logDir, { recursive: true, force: true });
  }
}
