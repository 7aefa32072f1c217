import pLimit from "p-limit";

/** How one stack of a fleet operation ended. */
export interface FleetRow<Outcome> {
  readonly stack: string;
  readonly result: "succeeded" | "failed" | "skipped";
  readonly durationMs: number;
  readonly outcome?: Outcome;
  readonly error?: Error;
}

/** Options of a fleet operation. */
export interface FleetOptions {
  /**
   * How many stacks run at once. Each operation is several processes (engine, Node program,
   * providers), so this is bounded by cores and memory.
   * @default 2
   */
  readonly concurrency?: number;
  /** Stop starting new stacks after the first failure; the rest are reported `skipped`. */
  readonly failFast?: boolean;
}

/**
 * Runs one operation over many stacks with bounded concurrency. Every stack gets a row, in input
 * order, whether it succeeded, failed or was skipped after a failure under `failFast`.
 */
export async function runFleet<Item extends { readonly stack: string }, Outcome>(
  items: readonly Item[],
  operation: (item: Item) => Promise<Outcome>,
  options: FleetOptions = {},
): Promise<FleetRow<Outcome>[]> {
  const limit = pLimit(Math.max(1, options.concurrency ?? 2));
  let failed = false;
  return Promise.all(
    items.map((item) =>
      limit(async (): Promise<FleetRow<Outcome>> => {
        if (failed && options.failFast === true) {
          return { stack: item.stack, result: "skipped", durationMs: 0 };
        }
        const started = Date.now();
        try {
          const outcome = await operation(item);
          return {
            stack: item.stack,
            result: "succeeded",
            durationMs: Date.now() - started,
            outcome,
          };
        } catch (error) {
          failed = true;
          return {
            stack: item.stack,
            result: "failed",
            durationMs: Date.now() - started,
            error: error instanceof Error ? error : new Error(String(error)),
          };
        }
      }),
    ),
  );
}
