import { describe, expect, test } from "vitest";
import { runFleet } from "../../stacks/manager/fleet.js";
import { KeyedQueue } from "../../stacks/manager/queue.js";

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("fleet operations", () => {
  test("never run more stacks at once than the concurrency allows", async () => {
    let running = 0;
    let peak = 0;
    const items = Array.from({ length: 7 }, (_, i) => ({ stack: `site-${i}` }));
    const rows = await runFleet(
      items,
      async () => {
        running += 1;
        peak = Math.max(peak, running);
        await delay(10);
        running -= 1;
        return "ok";
      },
      { concurrency: 3 },
    );
    expect(peak).toBe(3);
    expect(rows.map((row) => row.result)).toEqual(Array(7).fill("succeeded"));
  });

  test("with fail-fast, stacks not started before the first failure are skipped", async () => {
    const items = ["site-a", "site-b", "site-c", "site-d"].map((stack) => ({ stack }));
    const rows = await runFleet(
      items,
      async (item) => {
        if (item.stack === "site-a") throw new Error("boom");
        await delay(5);
        return item.stack;
      },
      { concurrency: 1, failFast: true },
    );
    expect(rows.map((row) => [row.stack, row.result])).toEqual([
      ["site-a", "failed"],
      ["site-b", "skipped"],
      ["site-c", "skipped"],
      ["site-d", "skipped"],
    ]);
    expect(rows[0]?.error?.message).toBe("boom");
  });

  test("without fail-fast, every stack runs and each failure is reported on its row", async () => {
    const items = ["site-a", "site-b"].map((stack) => ({ stack }));
    const rows = await runFleet(items, async (item) => {
      if (item.stack === "site-a") throw new Error("boom");
      return item.stack;
    });
    expect(rows.map((row) => row.result)).toEqual(["failed", "succeeded"]);
  });
});

describe("the per-stack queue", () => {
  test("runs work on one stack one at a time, in order, and different stacks together", async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const work = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await delay(ms);
      log.push(`end ${name}`);
    };
    await Promise.all([
      queue.run("site-a", work("a1", 20)),
      queue.run("site-a", work("a2", 1)),
      queue.run("site-b", work("b1", 5)),
    ]);
    expect(log).toEqual(["start a1", "start b1", "end b1", "end a1", "start a2", "end a2"]);
    expect(queue.isBusy("site-a")).toBe(false);
  });

  test("a failure does not block the next piece of work on the same stack", async () => {
    const queue = new KeyedQueue();
    await expect(queue.run("s", () => Promise.reject(new Error("first")))).rejects.toThrow("first");
    await expect(queue.run("s", () => Promise.resolve("second"))).resolves.toBe("second");
  });
});
