import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import type { ChangeCollector, ChangeSummary } from "./changes.js";
import type { Holder } from "../contract.js";
import type { Scrubber } from "./scrub.js";
import type { LifecycleVerb, StackStatus } from "./status.js";

/** Something that happened during an operation, for progress output and JSON event streams. */
export type ManagerEvent =
  | { readonly type: "start"; readonly stack: string; readonly verb: LifecycleVerb }
  | { readonly type: "waiting"; readonly stack: string; readonly holders: readonly Holder[] }
  | { readonly type: "recovery"; readonly stack: string; readonly message: string }
  | { readonly type: "notice"; readonly stack: string; readonly message: string }
  | {
      readonly type: "resource";
      readonly stack: string;
      readonly op: string;
      readonly resourceType: string;
      readonly urn: string;
      /** Resource steps seen so far in this operation. */
      readonly count: number;
    }
  | { readonly type: "output"; readonly stack: string; readonly line: string }
  | {
      readonly type: "end";
      readonly stack: string;
      readonly verb: LifecycleVerb;
      readonly ok: boolean;
      readonly status?: StackStatus;
      readonly durationMs: number;
      readonly summary?: ChangeSummary;
      readonly error?: string;
    };

/**
 * Feeds one engine event to the change collector and emits a `resource` event for each new step,
 * so progress shows resource counts as the engine works.
 */
export function translateEngineEvent(
  stack: string,
  event: EngineEvent,
  collector: ChangeCollector,
  emit: (event: ManagerEvent) => void,
): void {
  const before = collector.count;
  collector.add(event);
  const metadata = event.resourcePreEvent?.metadata;
  if (metadata !== undefined && collector.count > before) {
    emit({
      type: "resource",
      stack,
      op: metadata.op,
      resourceType: metadata.type,
      urn: metadata.urn,
      count: collector.count,
    });
  }
}

/**
 * A sink for the engine's standard output that emits one `output` event per non-empty line, with
 * known secret values masked.
 */
export function outputLines(
  scrubber: Scrubber,
  stack: string,
  emit: (event: ManagerEvent) => void,
): (chunk: string) => void {
  let partial = "";
  return (chunk: string) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (line.trim() !== "") emit({ type: "output", stack, line: scrubber.scrub(line) });
    }
  };
}
