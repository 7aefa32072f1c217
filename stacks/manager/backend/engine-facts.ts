import type { StackFacts } from "../derive-status.js";
import type { StackFactsSource, LockObject } from "./facts-source.js";
import {
  parseCheckpoint,
  parseStateResources,
  type StateResource,
  type UpdateRecord,
} from "./layout.js";

/** Runs one engine command (`--stack` added when a stack is given) and returns its stdout. */
export type EngineCommand = (args: readonly string[], stack?: string) => Promise<string>;

/**
 * Stack facts through the engine's own commands, for backends whose objects sitestack does not
 * read (Azure Blob, GCS, PostgreSQL, Pulumi Cloud): `stack ls`, `stack export` and
 * `stack history`. Slower than reading objects (an engine process per call) and blind to who
 * holds a lock while an operation runs (the engine names the holder only when it refuses one), but
 * the same truth: the backend's state and history. sitestack's operation record has no place in
 * such a backend, so failures keep only the engine's record (the last update's result).
 */
export class EngineFacts implements StackFactsSource {
  constructor(private readonly engine: EngineCommand) {}

  async all(): Promise<StackFacts[]> {
    const listed = JSON.parse(await this.engine(["stack", "ls", "--json"])) as { name: string }[];
    return Promise.all(listed.map((entry) => this.one(entry.name.split("/").pop() ?? entry.name)));
  }

  async one(stack: string): Promise<StackFacts> {
    let exported: string;
    try {
      exported = await this.engine(["stack", "export"], stack);
    } catch (error) {
      if (
        /no stack named|not found/i.test(error instanceof Error ? error.message : String(error))
      ) {
        return { stack, locks: [] };
      }
      throw error;
    }
    const deployment = (JSON.parse(exported) as { deployment?: unknown }).deployment ?? {};
    const checkpoint = parseCheckpoint(JSON.stringify({ checkpoint: { latest: deployment } }));
    const [lastUpdate] = await this.history(stack, 1);
    return { stack, checkpoint, ...(lastUpdate === undefined ? {} : { lastUpdate }), locks: [] };
  }

  async resources(stack: string): Promise<StateResource[]> {
    try {
      return parseStateResources(await this.engine(["stack", "export"], stack));
    } catch (error) {
      if (/no stack named|not found/i.test(error instanceof Error ? error.message : String(error)))
        return [];
      throw error;
    }
  }

  async locks(): Promise<LockObject[]> {
    return [];
  }

  async removeLock(): Promise<void> {}

  async history(stack: string, limit: number): Promise<(UpdateRecord & { version: number })[]> {
    const entries = JSON.parse(
      await this.engine(["stack", "history", "--json", "--page-size", String(limit)], stack),
    ) as
      | {
          version?: number;
          kind?: string;
          result?: string;
          startTime?: string | number;
          endTime?: string | number;
          message?: string;
          resourceChanges?: Record<string, number>;
        }[]
      | null;
    const all = entries ?? [];
    return all.slice(0, limit).map((entry, index) => ({
      version:
        entry.version !== undefined && entry.version > 0 ? entry.version : all.length - index,
      kind: entry.kind ?? "update",
      result: entry.result ?? "unknown",
      startTime: timeOf(entry.startTime),
      endTime: timeOf(entry.endTime),
      message: entry.message ?? "",
      resourceChanges: entry.resourceChanges ?? {},
    }));
  }

  async writeOperation(): Promise<void> {}

  async removeOperation(): Promise<void> {}
}

/** The engine writes times as RFC 3339 text in JSON output, as Unix seconds in its records. */
function timeOf(value: string | number | undefined): Date {
  return typeof value === "number" ? new Date(value * 1000) : new Date(value ?? 0);
}
