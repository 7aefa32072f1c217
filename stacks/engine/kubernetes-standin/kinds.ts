/**
 * What the stand-in knows about Kubernetes kinds without asking a cluster: how a Pulumi type token
 * maps to `apiVersion`/`kind`, and which built-in kinds are cluster-scoped (render mode has no
 * discovery to ask).
 */

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

/** The API group of an `apiVersion` (`""` for the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? "" : apiVersion.slice(0, slash);
}

// Built-in and sitestack-used CRD kinds whose objects live outside any namespace. Everything else is
// taken as namespaced when no cluster can be asked, as the real provider does for unknown kinds.
const CLUSTER_SCOPED = new Set([
  "/Namespace",
  "/Node",
  "/PersistentVolume",
  "/ComponentStatus",
  "apiextensions.k8s.io/CustomResourceDefinition",
  "apiregistration.k8s.io/APIService",
  "rbac.authorization.k8s.io/ClusterRole",
  "rbac.authorization.k8s.io/ClusterRoleBinding",
  "storage.k8s.io/StorageClass",
  "storage.k8s.io/CSIDriver",
  "storage.k8s.io/CSINode",
  "storage.k8s.io/VolumeAttachment",
  "scheduling.k8s.io/PriorityClass",
  "networking.k8s.io/IngressClass",
  "node.k8s.io/RuntimeClass",
  "admissionregistration.k8s.io/MutatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
  "certificates.k8s.io/CertificateSigningRequest",
  "flowcontrol.apiserver.k8s.io/FlowSchema",
  "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
  "cert-manager.io/ClusterIssuer",
  "gateway.networking.k8s.io/GatewayClass",
]);

/** Whether a kind is namespaced, from the built-in table (no cluster needed). */
export function isNamespacedOffline(apiVersion: string, kind: string): boolean {
  return !CLUSTER_SCOPED.has(`${groupOf(apiVersion)}/${kind}`);
}

/** True for a CustomResourceDefinition (rendered under `0-crd/`). */
export function isCustomResourceDefinition(apiVersion: string, kind: string): boolean {
  return groupOf(apiVersion) === "apiextensions.k8s.io" && kind === "CustomResourceDefinition";
}
