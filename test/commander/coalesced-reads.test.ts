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
  test("status and outputs are rows of one coalesced listing; a stack not listed asks the manager; other members are the manager's", async () => {
    let listReads = 0;
    const asked: string[] = [];
    const manager = {
      name: "the manager",
      async list() {
        listReads += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return [
          { stack: "site-a", outputs: { url: "https://site-a" } },
          { stack: "site-b", outputs: {} },
        ];
      },
      async status(stack: string) {
        asked.push(stack);
        throw new Error(`stack ${stack} not found`);
      },
      whoAmI(this: { name: string }) {
        return this.name;
      },
    } as unknown as StackManager<unknown> & { whoAmI(): string };
    const reads = coalescedReads(manager) as typeof manager;
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        index % 3 === 0
          ? reads.status("site-a")
          : index % 3 === 1
            ? reads.outputs("site-a")
            : reads.status("site-b"),
      ),
    );
    expect(answers[0]).toEqual({ stack: "site-a", outputs: { url: "https://site-a" } });
    expect(answers[1]).toEqual({ url: "https://site-a" });
    expect(answers[2]).toMatchObject({ stack: "site-b" });
    // 50 reads of two stacks: at most two listings (the one running when they came, the next).
    expect(listReads).toBeLessThanOrEqual(2);
    expect(asked).toEqual([]);
    await expect(reads.status("site-gone")).rejects.toThrow("stack site-gone not found");
    expect(asked).toEqual(["site-gone"]);
    expect(reads.whoAmI()).toBe("the manager");
  });
});
