import type { StackStatusReport } from "../../../stacks/manager/status-view.js";

/** A Running stack as the backend's listing reports it, with `extra` fields over the defaults. */
export function stackReport(
  stack: string,
  kind: string,
  extra: Partial<StackStatusReport> = {},
): StackStatusReport {
  return {
    stack,
    kind,
    labels: {},
    status: "Running",
    lifecycle: "active",
    outputs: {},
    ttl: { state: "none" },
    ...extra,
  };
}
