import { describe, expect, test } from "vitest";
import { CoalescedRead, coalescedReads } from "../../stacks/commander/coalesced-reads.js";
import type { StackManager } from "../../stacks/manager/manager.js";

/** A read whose answer is whatever `value` is when it starts, answered when `finish` is called. */
function controlledRead() {
  const pending: (() => void)[] = [];
  const state = { value: 0, reads: 0 };
  const read = () => {
    state.reads += 1;
    const seen = state.value;
    return new Promise<number>((resolve) => pending.push(() => resolve(seen)));
  };
  const finishAll = async () => {
    while (pending.length > 0) {
      pending.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { state, read, finishAll };
}

describe("CoalescedRead", () => {
  test("a burst of 200 callers costs two reads: the running one and the next, shared", async () => {
    const { state, read, finishAll } = controlledRead();
    const coalesced = new CoalescedRead(read);
    const answers = Array.from({ length: 200 }, () => coalesced.get());
    await finishAll();
    expect(await Promise.all(answers)).toHaveLength(200);
    expect(state.reads).toBe(2);
  });

  test("an answer is never older than its request: a caller after a change sees the change", async () => {
    const { state, read, finishAll } = controlledRead();
    const coalesced = new CoalescedRead(read);
    const before = coalesced.get(); // starts a read that sees 0
    state.value = 1; // the change, while that read runs
    const after = coalesced.get(); // must not take the running read's answer
    await finishAll();
    expect(await before).toBe(0);
    expect(await after).toBe(1);
  });

  test("a failed read fails its callers only; the next caller reads again", async () => {
    let fail = true;
    let reads = 0;
    const coalesced = new CoalescedRead(async () => {
      reads += 1;
      if (fail) throw new Error("backend unreachable");
      return "ok";
    });
    await expect(coalesced.get()).rejects.toThrow("backend unreachable");
    fail = false;
    expect(await coalesced.get()).toBe("ok");
    expect(reads).toBe(2);
  });
});

describe("coalescedReads", () => {
  test("list, status and outputs are coalesced; every other member is the manager's, on the manager", async () => {
    let statusReads = 0;
    const manager = {
      name: "the manager",
      async list() {
        return [{ stack: "site-a" }];
      },
      async status(stack: string) {
        statusReads += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { stack, outputs: { url: `https://${stack}` } };
      },
      whoAmI(this: { name: string }) {
        return this.name;
      },
    } as unknown as StackManager<unknown> & { whoAmI(): string };
    const reads = coalescedReads(manager) as typeof manager;
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        index % 2 === 0 ? reads.status("site-a") : reads.outputs("site-a"),
      ),
    );
    expect(answers[1]).toEqual({ url: "https://site-a" });
    expect(statusReads).toBeLessThanOrEqual(2);
    expect(await reads.list()).toEqual([{ stack: "site-a" }]);
    expect(reads.whoAmI()).toBe("the manager");
  });
});
