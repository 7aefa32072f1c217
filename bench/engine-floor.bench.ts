import { afterAll, beforeAll, expect, test } from "vitest";
import { describeEngineFloor, measureEngineFloor, median } from "./engine-floor.js";
import { startTestEngine, type TestEngine } from "../test/support/engine.js";

let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine();
});

afterAll(async () => {
  await engine?.dispose();
});

test("median is the middle sample, or the mean of the two middle ones", () => {
  expect(median([5, 1, 3])).toBe(3);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(() => median([])).toThrow("median of no values");
});

test("measures the engine floor: preview of an empty inline program, warm", async () => {
  const stack = await engine.inlineStack("sitestack-floor", "floor", async () => {});
  const floor = await measureEngineFloor(stack, 5);
  console.log(describeEngineFloor(floor));
  expect(floor.samplesMs).toHaveLength(5);
  expect(floor.medianMs).toBeGreaterThan(0);
}, 300_000);
