/**
 * Stack manager benchmarks; every figure of one run is measured in the same process, so ratios
 * compare like with like. Printed by test/e2e/stacks-bench.test.ts
 * (`npx vitest run test/e2e/stacks-bench.test.ts`).
 */
import { readdirSync, readFileSync } from "node:fs";
import { median } from "./engine-floor.js";

/** The median and samples of a repeated timing, in milliseconds. */
export interface Timing {
  readonly medianMs: number;
  readonly samplesMs: readonly number[];
}

/** Runs `work` once to warm up, then `runs` times, timing each. */
export async function time(work: () => Promise<unknown>, runs = 3): Promise<Timing> {
  await work();
  const samplesMs: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await work();
    samplesMs.push(performance.now() - started);
  }
  return { medianMs: median(samplesMs), samplesMs };
}

/** Resident memory (bytes) of a process and all its descendants, read from /proc. */
export function treeRssBytes(rootPid: number = process.pid): number {
  const parents = new Map<number, number>();
  const rss = new Map<number, number>();
  const pageSize = 4096;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the parenthesised command: state ppid … ; rss is field 24 overall.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(entry), Number(fields[1]));
      rss.set(Number(entry), Number(fields[21]) * pageSize);
    } catch {
      // The process ended while we were reading.
    }
  }
  const inTree = (pid: number): boolean => {
    for (let current = pid, hops = 0; current > 1 && hops < 64; hops += 1) {
      if (current === rootPid) return true;
      current = parents.get(current) ?? 0;
    }
    return false;
  };
  let total = 0;
  for (const [pid, bytes] of rss) if (inTree(pid)) total += bytes;
  return total;
}

/** Samples the tree's RSS every `intervalMs` while `work` runs; returns the peak in bytes. */
export async function peakTreeRss<T>(
  work: () => Promise<T>,
  intervalMs = 50,
): Promise<{ result: T; peakBytes: number }> {
  let peakBytes = treeRssBytes();
  const timer = setInterval(() => {
    peakBytes = Math.max(peakBytes, treeRssBytes());
  }, intervalMs);
  try {
    const result = await work();
    return { result, peakBytes };
  } finally {
    clearInterval(timer);
  }
}

/** `1234 ms (samples 1200, 1234, 1300)`. */
export function describeTiming(timing: Timing): string {
  return `${timing.medianMs.toFixed(0)} ms (samples ${timing.samplesMs.map((s) => s.toFixed(0)).join(", ")})`;
}
