/** A Kubernetes object as rendered by `helm template`: plain JSON, namespaced by the component. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly [field: string]: unknown;
  };
  readonly [field: string]: unknown;
}

/**
 * Kinds that live outside any namespace. A staging chart may not render them: a staging must be
 * wholly inside its namespace, so deleting the namespace (cleanup) leaves nothing behind and two
 * stagings can never fight over one object.
 */
export const clusterScopedKinds: ReadonlySet<string> = new Set([
  "APIService",
  "CertificateSigningRequest",
  "ClusterIssuer",
  "ClusterRole",
  "ClusterRoleBinding",
  "CSIDriver",
  "CSINode",
  "CustomResourceDefinition",
  "FlowSchema",
  "IngressClass",
  "MutatingAdmissionPolicy",
  "MutatingWebhookConfiguration",
  "Namespace",
  "Node",
  "PersistentVolume",
  "PriorityClass",
  "PriorityLevelConfiguration",
  "RuntimeClass",
  "StorageClass",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "ValidatingWebhookConfiguration",
  "VolumeAttachment",
]);

/**
 * The Pulumi type token of a Kubernetes kind: `apps/v1` + `Deployment` →
 * `kubernetes:apps/v1:Deployment`; the core group is spelled `core/v1` in tokens.
 */
export function typeToken(apiVersion: string, kind: string): string {
  const groupVersion = apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`;
  return `kubernetes:${groupVersion}:${kind}`;
}

/** `kind/name`, the way objects are named in messages. */
export function describeObject(object: KubernetesObject): string {
  return `${object.kind}/${object.metadata.name}`;
}
