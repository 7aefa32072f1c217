import type { LockObject, StackFactsSource } from "./backend/facts-source.js";
import { describeHolder, type Holder } from "../contract.js";
import { isHolderGone } from "./holder.js";

/** How a wait for a stack's lock goes. */
export interface LockTurnOptions {
  /** Wait for live holders instead of failing. */
  readonly wait: boolean;
  readonly deadline: number;
  readonly onWaiting: (holders: readonly Holder[]) => void;
  readonly onRecovery: (message: string) => void;
  readonly isGone?: (holder: Holder) => boolean;
}

/** A live holder has the stack (and the caller did not wait, or waited too long). */
export class LockHeld extends Error {
  constructor(readonly holders: readonly Holder[]) {
    super(`locked by ${holders.map(describeHolder).join(", ")}`);
    this.name = "LockHeld";
  }
}

/**
 * Takes the caller's turn on a stack before the engine runs: locks of provably gone holders are
 * removed (part of recovery, said in a note), a live holder makes the caller wait or fail with
 * {@link LockHeld}. The engine's own lock still decides who runs; this only avoids starting an
 * engine that would fail, and clears what a killed process left.
 * @returns what recovery did, one note per removed lock.
 */
export async function takeLockTurn(
  facts: StackFactsSource,
  stack: string,
  options: LockTurnOptions,
): Promise<string[]> {
  const isGone = options.isGone ?? ((holder: Holder) => isHolderGone(holder));
  const notes: string[] = [];
  let announced = false;
  for (;;) {
    const locks: LockObject[] = await facts.locks(stack);
    const dead = locks.filter((lock) => isGone(lock.holder));
    for (const lock of dead) {
      await facts.removeLock(lock);
      const note = `removed the engine lock left by ${describeHolder(lock.holder)}, which is gone`;
      notes.push(note);
      options.onRecovery(note);
    }
    const alive = locks.filter((lock) => !dead.includes(lock)).map((lock) => lock.holder);
    if (alive.length === 0) return notes;
    if (!options.wait || Date.now() > options.deadline) throw new LockHeld(alive);
    if (!announced) {
      options.onWaiting(alive);
      announced = true;
    }
    await sleep(500 + Math.random() * 500);
  }
}

/** Sleeps `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
