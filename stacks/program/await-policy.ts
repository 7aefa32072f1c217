import * as pulumi from "@pulumi/pulumi";

/** The provider's annotation that turns its readiness await off for one object. */
export const skipAwaitAnnotation = "pulumi.com/skipAwait";

/**
 * How `up` waits for a site's Kubernetes objects on a cluster: every object's create and update
 * waits at most `readinessTimeoutSeconds` for the provider's readiness checks (it reads
 * `customTimeouts` before its own defaults of up to 10 minutes), except a Service that selects
 * Pods, which is not awaited at all.
 *
 * Why Services are not awaited: the provider (pulumi-kubernetes 4.25, `pkg/await/service.go`)
 * waits 10 s after *every* change of the Service's Endpoints for them to "settle", a fixed sleep
 * that made a staging `up` 10 s slower than it needs (13.3 s, of which 9.5 s idle after the last
 * Pod was Ready). What it proves — the Service's Pods are Ready — is already proven by the
 * Deployment's and StatefulSet's awaits in the same program, the same line `helm --wait` draws.
 * A `type: LoadBalancer` Service keeps its await: the address it waits for is the output.
 */
export function clusterAwaitPolicy(readinessTimeoutSeconds: number): pulumi.ResourceTransform {
  const timeout = `${readinessTimeoutSeconds}s`;
  return (args) => {
    if (!args.custom || !args.type.startsWith("kubernetes:")) return undefined;
    const opts = { ...args.opts, customTimeouts: { create: timeout, update: timeout } };
    if (args.type !== "kubernetes:core/v1:Service" || !selectsPodsWithoutAddress(args.props)) {
      return { props: args.props, opts };
    }
    return { props: { ...args.props, metadata: withSkipAwait(args.props.metadata) }, opts };
  };
}

/** A Service with a selector whose readiness is its Pods' (not a LoadBalancer, not ExternalName). */
function selectsPodsWithoutAddress(props: Record<string, unknown>): boolean {
  const spec = props.spec;
  if (spec === undefined || spec === null || pulumi.Output.isInstance(spec)) return false;
  const { selector, type } = spec as { selector?: unknown; type?: unknown };
  if (selector === undefined || selector === null) return false;
  return type !== "LoadBalancer" && type !== "ExternalName";
}

/**
 * `metadata` with the skip-await annotation added, keeping every input as it was: plain values stay
 * plain (so a preview still shows the name and labels), an Output stays an Output.
 */
function withSkipAwait(metadata: unknown): unknown {
  const add = (annotations: unknown) => ({
    ...(annotations as Record<string, unknown> | undefined),
    [skipAwaitAnnotation]: "true",
  });
  if (pulumi.Output.isInstance(metadata)) {
    return metadata.apply((value) => ({
      ...(value as Record<string, unknown> | undefined),
      annotations: add((value as { annotations?: unknown } | undefined)?.annotations),
    }));
  }
  const plain = (metadata ?? {}) as { annotations?: unknown };
  const annotations = pulumi.Output.isInstance(plain.annotations)
    ? plain.annotations.apply(add)
    : add(plain.annotations);
  return { ...plain, annotations };
}
