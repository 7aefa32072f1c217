/**
 * Built-in and sitestack-used CRD kinds whose objects live outside any namespace, as
 * `<group>/<kind>` (`""` for the core group). Used where no cluster can be asked: the staging
 * checks that a chart renders only namespaced objects. Any other kind is taken as namespaced, as
 * the real provider does for kinds it does not know.
 */
const clusterScopedGroupKinds: ReadonlySet<string> = new Set([
  "/ComponentStatus",
  "/Namespace",
  "/Node",
  "/PersistentVolume",
  "admissionregistration.k8s.io/MutatingAdmissionPolicy",
  "admissionregistration.k8s.io/MutatingAdmissionPolicyBinding",
  "admissionregistration.k8s.io/MutatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
  "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
  "apiextensions.k8s.io/CustomResourceDefinition",
  "apiregistration.k8s.io/APIService",
  "cert-manager.io/ClusterIssuer",
  "certificates.k8s.io/CertificateSigningRequest",
  "flowcontrol.apiserver.k8s.io/FlowSchema",
  "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
  "gateway.networking.k8s.io/GatewayClass",
  "networking.k8s.io/IngressClass",
  "node.k8s.io/RuntimeClass",
  "rbac.authorization.k8s.io/ClusterRole",
  "rbac.authorization.k8s.io/ClusterRoleBinding",
  "scheduling.k8s.io/PriorityClass",
  "storage.k8s.io/CSIDriver",
  "storage.k8s.io/CSINode",
  "storage.k8s.io/StorageClass",
  "storage.k8s.io/VolumeAttachment",
]);

/** The API group of an `apiVersion` (`""` for the core group). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? "" : apiVersion.slice(0, slash);
}

/** Whether objects of this kind live outside any namespace, from the table above (no cluster). */
export function isClusterScoped(apiVersion: string, kind: string): boolean {
  return clusterScopedGroupKinds.has(`${apiGroupOf(apiVersion)}/${kind}`);
}
