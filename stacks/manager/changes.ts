import type { EngineEvent, OpType } from "@pulumi/pulumi/automation/index.js";

/** One resource step the engine planned or performed. */
export interface ResourceChange {
  readonly urn: string;
  readonly type: string;
  readonly op: OpType;
  /**
   * Names (or paths) of the changed properties, never their values, which may be secret: the
   * engine's `diffs`, else the keys of its `detailedDiff`.
   */
  readonly diffs: readonly string[];
}

/** Changes grouped by resource type and operation, plus the list of steps. */
export interface ChangeSummary {
  /** `{"kubernetes:apps/v1:Deployment": {create: 1}}`; `same` steps are left out. */
  readonly byType: Readonly<Record<string, Partial<Record<OpType, number>>>>;
  /** Totals per operation over every type, `same` included. */
  readonly totals: Partial<Record<OpType, number>>;
  readonly changes: readonly ResourceChange[];
}

/**
 * The resource types the engine reports that are not the user's resources: the stack, providers,
 * and the stack reference through which a run reads its own previous metadata.
 */
function isBookkeeping(type: string): boolean {
  return (
    type === "pulumi:pulumi:Stack" ||
    type === "pulumi:pulumi:StackReference" ||
    type.startsWith("pulumi:providers:")
  );
}

/**
 * Collects the engine's `resourcePreEvent`s into a summary. Feed it every event; it keeps only
 * the first step per URN (a replace shows as several steps on one URN).
 */
export class ChangeCollector {
  private readonly steps = new Map<string, ResourceChange>();

  /** Records one engine event. */
  add(event: EngineEvent): void {
    const metadata = event.resourcePreEvent?.metadata;
    if (metadata === undefined || isBookkeeping(metadata.type)) return;
    if (this.steps.has(metadata.urn)) return;
    this.steps.set(metadata.urn, {
      urn: metadata.urn,
      type: metadata.type,
      op: metadata.op,
      // The Kubernetes provider leaves `diffs` empty and says what changed in `detailedDiff`,
      // keyed by property path (`spec.template.spec.containers[1].env[6].value`): paths only.
      diffs:
        metadata.diffs !== undefined && metadata.diffs.length > 0
          ? [...metadata.diffs]
          : Object.keys(metadata.detailedDiff ?? {}),
    });
  }

  /** How many resource steps have been seen so far (for progress lines). */
  get count(): number {
    return this.steps.size;
  }

  /** The summary so far. */
  summary(): ChangeSummary {
    const byType: Record<string, Partial<Record<OpType, number>>> = {};
    const totals: Partial<Record<OpType, number>> = {};
    for (const change of this.steps.values()) {
      totals[change.op] = (totals[change.op] ?? 0) + 1;
      if (change.op === "same") continue;
      const ops = (byType[change.type] ??= {});
      ops[change.op] = (ops[change.op] ?? 0) + 1;
    }
    return { byType, totals, changes: [...this.steps.values()] };
  }
}

/** `2 to create, 1 to update, 3 unchanged`, the one-line form of a summary. */
export function describeTotals(totals: Partial<Record<OpType, number>>): string {
  const parts = Object.entries(totals)
    .filter(([, count]) => (count ?? 0) > 0)
    .map(([op, count]) => `${count} ${op === "same" ? "unchanged" : op}`);
  return parts.length === 0 ? "no resources" : parts.join(", ");
}
