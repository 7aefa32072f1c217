import type { Deployment } from "@pulumi/pulumi/automation/index.js";
import type { PendingOperation } from "./backend/layout.js";

/**
 * What recovery does about pending operations, in words for the user. A pending create may or may
 * not have happened: the refresh drops it from the state (`clearPendingCreates`), and the
 * operation that follows creates it again; Kubernetes objects are applied server-side, so an object
 * that was in fact created is adopted rather than duplicated. Other pending operations are settled
 * by the refresh reading the real resource.
 */
export function describeRecovery(pending: readonly PendingOperation[]): string {
  const creates = pending.filter((operation) => operation.type === "creating");
  const others = pending.filter((operation) => operation.type !== "creating");
  const parts: string[] = [];
  if (creates.length > 0) {
    parts.push(
      `dropped ${creates.length} interrupted create(s) from the state (${creates.map((p) => shortUrn(p.urn)).join(", ")}); they are created again`,
    );
  }
  if (others.length > 0) {
    parts.push(
      `refreshed ${others.length} interrupted ${others.map((p) => `${operationNoun(p.type)} of ${shortUrn(p.urn)}`).join(", ")} from the real resource`,
    );
  }
  return `recovered ${pending.length} pending operation(s) left by an interrupted run: ${parts.join("; ")}`;
}

const nouns: Readonly<Record<string, string>> = {
  updating: "update",
  deleting: "delete",
  reading: "read",
  importing: "import",
};

function operationNoun(type: string): string {
  return nouns[type] ?? type;
}

/** `type::name` of a URN, short enough for one line. */
export function shortUrn(urn: string): string {
  const parts = urn.split("::");
  return parts.length >= 4 ? `${parts[2]?.split("$").pop()}::${parts[3]}` : urn;
}

/**
 * A copy of an exported deployment whose resources are no longer retained on delete or protected,
 * so that `cleanup` deletes volumes and certificates that `destroy` keeps.
 */
export function withoutRetention(exported: Deployment): {
  deployment: Deployment;
  released: number;
} {
  const copy = structuredClone(exported);
  const resources =
    (copy.deployment as { resources?: { retainOnDelete?: boolean; protect?: boolean }[] })
      ?.resources ?? [];
  let released = 0;
  for (const resource of resources) {
    if (resource.retainOnDelete === true || resource.protect === true) released += 1;
    delete resource.retainOnDelete;
    delete resource.protect;
  }
  return { deployment: copy, released };
}
