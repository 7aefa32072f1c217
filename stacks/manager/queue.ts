/**
 * A per-key FIFO queue: work on one key runs one at a time in arrival order, work on different keys
 * runs concurrently. This is the in-process half of "two operations on one stack never run at once";
 * the engine's lock is the cross-process half.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `work` after every earlier piece of work on `key` has settled. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      // Drop the entry once nothing else queued behind it, so idle keys cost nothing.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Whether work is queued or running on `key`. */
  isBusy(key: string): boolean {
    return this.tails.has(key);
  }
}
