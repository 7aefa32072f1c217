import { StackNotFound } from "../errors.js";
import type { UpdateRecord } from "./backend/layout.js";
import type { StackFactsSource } from "./backend/facts-source.js";
import { deriveStatus, siteOutputs, type StackFacts } from "./derive-status.js";
import type { Holder } from "../contract.js";
import { isHolderGone } from "./holder.js";
import type { OperationRecord } from "./operation-record.js";
import type { Lifecycle, StackStatus } from "./status.js";
import { neverExpires, type TtlRule, type TtlStatus } from "./ttl.js";

/** The Pulumi project every sitestack stack belongs to. */
export const projectName = "sitestack";

/** The status of one stack as `status`/`list` report it. */
export interface StackStatusReport {
  readonly stack: string;
  readonly kind: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly status: StackStatus;
  readonly lifecycle: Lifecycle;
  /** sitestack's record of the last operation (a refused one included), if any. */
  readonly lastOperation?: OperationRecord;
  /** The engine's record of the last update, refresh or destroy. */
  readonly lastUpdate?: Pick<UpdateRecord, "kind" | "result" | "startTime" | "endTime">;
  /** Who holds the stack right now, if an operation is in flight. */
  readonly holder?: Holder;
  /** Why the stack is in Failure, or who holds it. */
  readonly note?: string;
  /** The site's outputs (secret ones as `"[secret]"`). */
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly file?: string;
  /** The spec of the last applied run (secret references only): what `archive`/`restore` apply. */
  readonly spec?: unknown;
  /** Where the stack stands against its time to live (by the view's {@link TtlRule}). */
  readonly ttl: TtlStatus;
}

/**
 * Status and listings from the backend's own records (checkpoint, history, locks, sitestack's
 * operation records): no engine process and no Pulumi SDK import, so `sitestack status`/`list`
 * stay fast with thousands of stacks, and every machine sharing the backend sees the same.
 */
export class StatusView {
  constructor(
    readonly facts: StackFactsSource,
    private readonly isGone: (holder: Holder) => boolean = (holder) => isHolderGone(holder),
    /** The clock TTLs and grace periods are measured against. */
    private readonly now: () => Date = () => new Date(),
    /** Which stacks expire and when (site stacks: stagings with a `ttl`). */
    private readonly ttl: TtlRule = neverExpires,
  ) {}

  /**
   * The status of one stack.
   * @throws StackNotFound when the backend has no deployed stack of that name.
   */
  async status(stack: string): Promise<StackStatusReport> {
    const report = this.reportOf(await this.facts.one(stack));
    if (report === undefined) throw new StackNotFound(stack);
    return report;
  }

  /** Every deployed stack's status, sorted by name. */
  async list(): Promise<StackStatusReport[]> {
    const all = await this.facts.all();
    return all
      .map((facts) => this.reportOf(facts))
      .filter((report) => report !== undefined)
      .sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
  }

  /** The report of a stack's facts; undefined for a stack that was never deployed. */
  reportOf(facts: StackFacts, now: Date = this.now()): StackStatusReport | undefined {
    const derived = deriveStatus(facts, { isGone: this.isGone, now });
    if (derived === undefined || facts.checkpoint === undefined) return undefined;
    const metadata = derived.metadata;
    const kind = metadata?.kind ?? "unknown";
    const last = facts.lastUpdate;
    return {
      stack: facts.stack,
      kind,
      labels: metadata?.labels ?? {},
      status: derived.status,
      lifecycle: derived.lifecycle,
      ...(facts.operation === undefined ? {} : { lastOperation: facts.operation }),
      ...(last === undefined
        ? {}
        : {
            lastUpdate: {
              kind: last.kind,
              result: last.result,
              startTime: last.startTime,
              endTime: last.endTime,
            },
          }),
      ...(derived.holder === undefined ? {} : { holder: derived.holder }),
      ...(derived.note === undefined ? {} : { note: derived.note }),
      outputs: siteOutputs(facts.checkpoint.outputs),
      ...(metadata?.file === undefined ? {} : { file: metadata.file }),
      ...(metadata === undefined ? {} : { spec: metadata.spec }),
      ttl: this.ttl({ kind, lastAppliedSpec: metadata?.spec, lastChange: last?.endTime }, now),
    };
  }
}
