import { StackNotFound } from "../errors.js";
import { isHolderGone, type Holder } from "./holder.js";
import { readEngineLocks } from "./lock.js";
import { reconcileRecord } from "./reconcile.js";
import { StackRegistry, type OperationRecord, type StackRecord } from "./registry.js";
import type { StateSettings } from "./settings.js";
import { isPending, type Lifecycle, type StackStatus } from "./status.js";
import { stackTtlStatus, type TtlStatus } from "../staging/ttl.js";

/** The Pulumi project every sitestack stack belongs to. */
export const projectName = "sitestack";

/** The status of one stack as `status`/`list` report it. */
export interface StackStatusReport {
  readonly stack: string;
  readonly kind: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly status: StackStatus;
  readonly lifecycle: Lifecycle;
  readonly lastOperation?: OperationRecord;
  /** Who holds the stack right now, if an operation is in flight. */
  readonly holder?: Holder;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly file?: string;
  /** Where the stack stands against its `ttl` (only stagings with a `ttl` expire). */
  readonly ttl: TtlStatus;
}

/**
 * Status and listings from the registry alone, reconciled with cheap facts (pids, lock files): no
 * engine process, no checkpoint read, and no Pulumi SDK import, so `sitestack status`/`list` stay
 * fast with thousands of stacks.
 */
export class StatusView {
  readonly registry: StackRegistry;

  constructor(readonly settings: StateSettings) {
    this.registry = new StackRegistry(settings.registryDir);
  }

  /**
   * The status of one stack.
   * @throws StackNotFound when the stack was never registered.
   */
  async status(stack: string): Promise<StackStatusReport> {
    const record = await this.registry.get(stack);
    if (record === undefined) throw new StackNotFound(stack);
    return reportOf(await this.reconciled(record));
  }

  /** Every registered stack's status, sorted by name. */
  async list(): Promise<StackStatusReport[]> {
    const records = await this.registry.list();
    return Promise.all(records.map(async (record) => reportOf(await this.reconciled(record))));
  }

  /** The engine's lock holders of a stack, or undefined when the backend is not `file://`. */
  async engineLocks(stack: string) {
    if (this.settings.stateDir === undefined) return undefined;
    return readEngineLocks(this.settings.stateDir, projectName, stack);
  }

  /** The record with a dead holder's in-flight operation turned into a Failure. */
  async reconciled(record: StackRecord): Promise<StackRecord> {
    if (!isPending(record.status)) return record;
    const locks = await this.engineLocks(record.stack);
    return reconcileRecord(record, {
      isGone: (holder) => isHolderGone(holder),
      ...(locks === undefined ? {} : { engineLocks: locks.map((lock) => lock.holder) }),
      now: new Date(),
    });
  }
}

function reportOf(record: StackRecord, now: Date = new Date()): StackStatusReport {
  const holder = isPending(record.status) ? record.lastOperation?.holder : undefined;
  return {
    stack: record.stack,
    kind: record.kind,
    labels: record.labels,
    status: record.status,
    lifecycle: record.lifecycle,
    ...(record.lastOperation === undefined ? {} : { lastOperation: record.lastOperation }),
    ...(holder === undefined ? {} : { holder }),
    outputs: record.outputs,
    ...(record.file === undefined ? {} : { file: record.file }),
    ttl: stackTtlStatus(record, now),
  };
}
