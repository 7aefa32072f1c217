/**
 * The engine's floor: a preview of an empty inline program through the Automation API, warm (the
 * stack exists, the CLI binary is in the page cache). Later performance targets are ratios against
 * this figure, so it is reported as the median of a few runs.
 *
 * Printed by test/e2e/engine-floor.test.ts (`npx vitest run test/e2e/engine-floor.test.ts`).
 */
import type { Stack } from "@pulumi/pulumi/automation/index.js";

/** The floor: median and every sample, in milliseconds. */
export interface EngineFloor {
  readonly medianMs: number;
  readonly samplesMs: readonly number[];
}

/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Previews `stack` (whose program declares nothing) once to warm up, then `runs` times, timing each
 * preview end to end as a caller of the Automation API sees it.
 */
export async function measureEngineFloor(stack: Stack, runs = 5): Promise<EngineFloor> {
  await stack.preview();
  const samplesMs: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await stack.preview();
    samplesMs.push(performance.now() - started);
  }
  return { medianMs: median(samplesMs), samplesMs };
}

/** One line for logs and docs: `engine floor: median 1234 ms over 5 runs [..]`. */
export function describeEngineFloor(floor: EngineFloor): string {
  const samples = floor.samplesMs.map((ms) => ms.toFixed(0)).join(", ");
  return `engine floor (empty inline preview, warm): median ${floor.medianMs.toFixed(0)} ms over ${floor.samplesMs.length} runs [${samples}]`;
}
