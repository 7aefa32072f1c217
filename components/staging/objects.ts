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
