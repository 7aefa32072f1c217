/**
 * What the stand-in knows about Kubernetes kinds without asking a cluster: how a Pulumi type token
 * maps to `apiVersion`/`kind`, and which built-in kinds are cluster-scoped (render mode has no
 * discovery to ask; the table is shared with the components, which check staging charts with it).
 */
import { apiGroupOf, isClusterScoped } from "../../../components/kubernetes/kinds.js";

export { apiGroupOf };

/** The group/version and kind named by a resource's Pulumi type token. */
export interface GroupVersionKind {
  /** `apiVersion` as it appears in a manifest: `v1`, `apps/v1`, `cert-manager.io/v1`. */
  readonly apiVersion: string;
  /** `kind`, e.g. `Deployment`. */
  readonly kind: string;
}

/**
 * Parses `kubernetes:<group>/<version>:<Kind>` (`kubernetes:core/v1:Namespace`,
 * `kubernetes:apps/v1:Deployment`, `kubernetes:cert-manager.io/v1:Certificate`). Returns
 * `undefined` for tokens that are not a Kubernetes object type.
 */
export function gvkFromTypeToken(type: string): GroupVersionKind | undefined {
  const match = /^kubernetes:([^:]+)\/([^:/]+):([A-Za-z0-9]+)$/.exec(type);
  if (!match) return undefined;
  const [, group, version, kind] = match as unknown as [string, string, string, string];
  return { apiVersion: group === "core" ? version : `${group}/${version}`, kind };
}

/** Whether a kind is namespaced, from the built-in table (no cluster needed). */
export function isNamespacedOffline(apiVersion: string, kind: string): boolean {
  return !isClusterScoped(apiVersion, kind);
}

/** True for a CustomResourceDefinition (rendered under `0-crd/`). */
export function isCustomResourceDefinition(apiVersion: string, kind: string): boolean {
  return apiGroupOf(apiVersion) === "apiextensions.k8s.io" && kind === "CustomResourceDefinition";
}
