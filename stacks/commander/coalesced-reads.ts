import type { StackManager } from "../manager/manager.js";

/**
 * One read shared by every caller that asked while it was waiting to start, never by a caller
 * that came after it started: an answer is never older than its request (no cache, no time to
 * live, nothing to invalidate), yet N concurrent callers cost at most two reads — the one running
 * when they arrived, which they do not trust, and the next, which they share.
 */
export class CoalescedRead<T> {
  private running: Promise<T> | undefined;
  private next: Promise<T> | undefined;

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    if (this.next !== undefined) return this.next;
    if (this.running === undefined) return this.start();
    const next = this.running
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.start();
      });
    this.next = next;
    return next;
  }

  private start(): Promise<T> {
    const running = this.read().finally(() => {
      if (this.running === running) this.running = undefined;
    });
    this.running = running;
    return running;
  }
}

/**
 * The stack manager as the commander's API reads it: `list`, `status` and `outputs` (a part of
 * the status) share one coalesced listing ({@link CoalescedRead}): a stack's status is its row of
 * the listing (the same report, `StatusView.reportOf`), since reading one stack lists the backend
 * anyway to re-validate the status cache. A burst of dashboards and pollers (200 at once in
 * bench/commander-load.bench.ts) then costs one or two backend reads in all, instead of one per
 * stack read. A stack missing from the listing asks the manager itself, which says why (not
 * found). Every other member is the manager's own. The workers keep the plain manager: what a
 * job reads must not wait for a reader's batch.
 */
export function coalescedReads<Spec>(manager: StackManager<Spec>): StackManager<Spec> {
  const list = new CoalescedRead(() => manager.list());
  const status = async (stack: string) =>
    (await list.get()).find((report) => report.stack === stack) ?? manager.status(stack);
  const coalesced: Partial<Record<keyof StackManager<Spec>, unknown>> = {
    list: () => list.get(),
    status,
    outputs: async (stack: string) => ({ ...(await status(stack)).outputs }),
  };
  return new Proxy(manager, {
    get(target, property, receiver) {
      if (typeof property === "string" && property in coalesced)
        return coalesced[property as keyof StackManager<Spec>];
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
