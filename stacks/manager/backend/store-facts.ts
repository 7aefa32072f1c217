import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import pLimit from "p-limit";
import type { StackFacts } from "../derive-status.js";
import type { Holder } from "../../contract.js";
import { parseOperationRecord, type OperationRecord } from "../operation-record.js";
import {
  backendLayout,
  decodeObject,
  isHistoryRecord,
  parseCheckpoint,
  parseStateResources,
  parseLockHolder,
  parseUpdateRecord,
  stackOfCheckpointKey,
  stackOfLockKey,
  type CheckpointFacts,
  type StateResource,
  type UpdateRecord,
} from "./layout.js";
import type { LockObject, StackFactsSource } from "./facts-source.js";
import type { BackendStore, StoredObject } from "./store.js";

export type { LockObject } from "./facts-source.js";

/** What the cache keeps per stack: the facts that only change when these two versions do. */
interface CachedFacts {
  readonly checkpointKey: string;
  readonly checkpointVersion: string;
  readonly operationVersion?: string;
  readonly checkpoint: CheckpointFacts;
  readonly lastUpdate?: Omit<UpdateRecord, "startTime" | "endTime"> & {
    readonly startTime: string;
    readonly endTime: string;
  };
  readonly updateCount: number;
  readonly operation?: OperationRecord;
}

/**
 * Reads stack facts straight from a DIY backend's objects, no engine process. A local cache keeps
 * what was derived from each stack's checkpoint, history and operation record, keyed by the
 * objects' versions; every read lists the backend first, so a cache entry whose versions differ
 * from the backend's is read again — the cache saves reads, it never decides.
 */
export class StoreFacts implements StackFactsSource {
  private readonly limit = pLimit(16);
  /** The cache file's text as this process last read or wrote it. */
  private cacheText: string | undefined;

  constructor(
    private readonly store: BackendStore,
    private readonly project: string,
    /** The cache file, or undefined for none. */
    private readonly cacheFile?: string,
  ) {}

  /** The cache file of a backend under a folder (one file per backend URL). */
  static cacheFileFor(cacheDir: string, backendUrl: string): string {
    const id = createHash("sha256").update(backendUrl).digest("hex").slice(0, 16);
    return join(cacheDir, `status-${id}.json`);
  }

  /** The facts of every stack of the project in the backend, by stack name. */
  async all(): Promise<StackFacts[]> {
    const [checkpoints, locks, operations] = await Promise.all([
      this.store.list(backendLayout.stacksPrefix(this.project)),
      this.store.list(backendLayout.locksPrefix(this.project)),
      this.store.list(backendLayout.operationsPrefix(this.project)),
    ]);
    const cache = await this.readCache();
    const stacks = checkpoints.flatMap((object) => {
      const stack = stackOfCheckpointKey(this.project, object.key);
      return stack === undefined ? [] : [{ stack, object }];
    });
    const lockObjects = await this.readLocks(locks);
    const operationByStack = new Map(operations.map((object) => [object.key, object] as const));
    const facts = await Promise.all(
      stacks.map(({ stack, object }) =>
        this.limit(() =>
          this.factsOf(
            stack,
            object,
            operationByStack.get(backendLayout.operationKey(this.project, stack)),
            lockObjects.filter((lock) => lock.stack === stack).map((lock) => lock.holder),
            cache,
          ),
        ),
      ),
    );
    // Stacks gone from the backend leave the cache too.
    const present = new Set(stacks.map(({ stack }) => stack));
    for (const stack of cache.keys()) if (!present.has(stack)) cache.delete(stack);
    await this.writeCache(cache);
    return facts;
  }

  /** The facts of one stack, read fresh from the backend (the cache still saves unchanged reads). */
  async one(stack: string): Promise<StackFacts> {
    const [checkpoints, locks, operations] = await Promise.all([
      this.store.list(`${backendLayout.stacksPrefix(this.project)}${stack}.json`),
      this.locks(stack),
      this.store.list(backendLayout.operationKey(this.project, stack)),
    ]);
    const checkpoint = checkpoints.find(
      (object) => stackOfCheckpointKey(this.project, object.key) === stack,
    );
    if (checkpoint === undefined) {
      const operation = await this.readOperation(operations[0]);
      return {
        stack,
        locks: locks.map((lock) => lock.holder),
        ...(operation ? { operation } : {}),
      };
    }
    const cache = await this.readCache();
    const facts = await this.factsOf(
      stack,
      checkpoint,
      operations[0],
      locks.map((lock) => lock.holder),
      cache,
    );
    await this.writeCache(cache);
    return facts;
  }

  /** The resources in the stack's checkpoint, read fresh (the cache keeps only counts). */
  async resources(stack: string): Promise<StateResource[]> {
    const checkpoints = await this.store.list(
      `${backendLayout.stacksPrefix(this.project)}${stack}.json`,
    );
    const checkpoint = checkpoints.find(
      (object) => stackOfCheckpointKey(this.project, object.key) === stack,
    );
    const data = checkpoint === undefined ? undefined : await this.store.read(checkpoint.key);
    return checkpoint === undefined || data === undefined
      ? []
      : parseStateResources(decodeObject(checkpoint.key, data));
  }

  /** The engine's lock files on one stack. */
  async locks(stack: string): Promise<LockObject[]> {
    const objects = await this.store.list(backendLayout.stackLocksPrefix(this.project, stack));
    return (await this.readLocks(objects)).map(({ key, holder }) => ({ key, holder }));
  }

  /** Removes a lock file whose holder was proved gone. */
  async removeLock(lock: LockObject): Promise<void> {
    await this.store.remove(lock.key);
    // The engine's blob library may keep attributes beside a file:// object.
    await this.store.remove(`${lock.key}.attrs`);
  }

  /** The update history of a stack, newest first, with the engine's version numbers (1 = first). */
  async history(stack: string, limit: number): Promise<(UpdateRecord & { version: number })[]> {
    const records = (
      await this.store.list(backendLayout.historyPrefix(this.project, stack))
    ).filter(isHistoryRecord);
    const newest = records.slice(-limit).reverse();
    return Promise.all(
      newest.map(async (object, index) => ({
        ...parseUpdateRecord(
          decodeObject(object.key, (await this.store.read(object.key)) ?? Buffer.from("{}")),
        ),
        version: records.length - index,
      })),
    );
  }

  /** Writes sitestack's operation record of a stack. */
  async writeOperation(stack: string, record: OperationRecord): Promise<void> {
    await this.store.write(
      backendLayout.operationKey(this.project, stack),
      `${JSON.stringify(record)}\n`,
    );
  }

  /** Forgets a removed stack's operation record. */
  async removeOperation(stack: string): Promise<void> {
    await this.store.remove(backendLayout.operationKey(this.project, stack));
  }

  private async factsOf(
    stack: string,
    checkpointObject: StoredObject,
    operationObject: StoredObject | undefined,
    locks: readonly Holder[],
    cache: Map<string, CachedFacts>,
  ): Promise<StackFacts> {
    let cached = cache.get(stack);
    if (
      cached === undefined ||
      cached.checkpointKey !== checkpointObject.key ||
      cached.checkpointVersion !== checkpointObject.version ||
      cached.operationVersion !== operationObject?.version
    ) {
      cached = await this.readFacts(stack, checkpointObject, operationObject);
      cache.set(stack, cached);
    }
    return {
      stack,
      checkpoint: cached.checkpoint,
      ...(cached.lastUpdate === undefined
        ? {}
        : {
            lastUpdate: {
              ...cached.lastUpdate,
              startTime: new Date(cached.lastUpdate.startTime),
              endTime: new Date(cached.lastUpdate.endTime),
            },
          }),
      locks,
      ...(cached.operation === undefined ? {} : { operation: cached.operation }),
    };
  }

  private async readFacts(
    stack: string,
    checkpointObject: StoredObject,
    operationObject: StoredObject | undefined,
  ): Promise<CachedFacts> {
    const [checkpointData, history, operation] = await Promise.all([
      this.store.read(checkpointObject.key),
      this.store.list(backendLayout.historyPrefix(this.project, stack)),
      this.readOperation(operationObject),
    ]);
    const records = history.filter(isHistoryRecord);
    const newest = records.at(-1);
    const newestData = newest === undefined ? undefined : await this.store.read(newest.key);
    const lastUpdate =
      newest === undefined || newestData === undefined
        ? undefined
        : parseUpdateRecord(decodeObject(newest.key, newestData));
    return {
      checkpointKey: checkpointObject.key,
      checkpointVersion: checkpointObject.version,
      ...(operationObject === undefined ? {} : { operationVersion: operationObject.version }),
      checkpoint: parseCheckpoint(
        checkpointData === undefined ? "{}" : decodeObject(checkpointObject.key, checkpointData),
      ),
      ...(lastUpdate === undefined
        ? {}
        : {
            lastUpdate: {
              ...lastUpdate,
              startTime: lastUpdate.startTime.toISOString(),
              endTime: lastUpdate.endTime.toISOString(),
            },
          }),
      updateCount: records.length,
      ...(operation === undefined ? {} : { operation }),
    };
  }

  private async readOperation(
    object: StoredObject | undefined,
  ): Promise<OperationRecord | undefined> {
    if (object === undefined) return undefined;
    const data = await this.store.read(object.key);
    return data === undefined ? undefined : parseOperationRecord(data.toString("utf8"));
  }

  private async readLocks(
    objects: readonly StoredObject[],
  ): Promise<{ stack: string; key: string; holder: Holder }[]> {
    const read = await Promise.all(
      objects
        .filter((object) => object.key.endsWith(".json"))
        .map(async (object) => {
          const stack = stackOfLockKey(this.project, object.key);
          const data = stack === undefined ? undefined : await this.store.read(object.key);
          // Released between listing and reading: not a lock any more.
          if (stack === undefined || data === undefined) return undefined;
          return { stack, key: object.key, holder: parseLockHolder(data.toString("utf8")) };
        }),
    );
    return read.filter((lock) => lock !== undefined);
  }

  private async readCache(): Promise<Map<string, CachedFacts>> {
    if (this.cacheFile === undefined) return new Map();
    try {
      const text = await readFile(this.cacheFile, "utf8");
      const entries = JSON.parse(text) as Record<string, CachedFacts>;
      this.cacheText = text;
      return new Map(Object.entries(entries));
    } catch {
      return new Map();
    }
  }

  /**
   * Writes the cache when it differs from what this process last read or wrote: a read that found
   * nothing new (most reads of a busy status page or API) costs no write, rename and fsync.
   */
  private async writeCache(cache: Map<string, CachedFacts>): Promise<void> {
    if (this.cacheFile === undefined) return;
    const text = JSON.stringify(Object.fromEntries(cache));
    if (text === this.cacheText) return;
    this.cacheText = text;
    await mkdir(dirname(this.cacheFile), { recursive: true });
    // A name of its own per write: two reads of one process (a plan's previews and its listing)
    // write at once, and a shared temporary name let the second rename find nothing (ENOENT).
    const temp = `${this.cacheFile}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(temp, text, { mode: 0o600 });
    await rename(temp, this.cacheFile);
  }
}
