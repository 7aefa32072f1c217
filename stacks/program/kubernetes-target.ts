import { join } from "node:path";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ProgramContext } from "../platform/program-context.js";
import { kubernetesTargetOf, type PlatformSettings } from "../platform/settings.js";
import { clusterAwaitPolicy } from "./await-policy.js";
import { redactRenderedSecrets } from "./render-secrets.js";

/** Where a site's Kubernetes objects go and how long `up` waits for them to become ready. */
export interface KubernetesPlacement {
  /** The site's `cluster` (a name in the platform file). @default - the platform's default cluster */
  readonly cluster?: string | undefined;
  /** Seconds each object's create and update may wait for the provider's readiness checks. */
  readonly readinessTimeoutSeconds: number;
}

/**
 * The resource options that send a site's Kubernetes objects where the platform says: the default
 * provider for a cluster from the environment, or an explicit provider that renders YAML into
 * `<directory>/<stack>/` (or talks to the kubeconfig and context of the site's `cluster`, or of the
 * platform's default cluster). Explicit, not stack config, so the target is a property of the
 * program on every machine rather than of one machine's config file. Against a cluster, objects
 * are awaited as `clusterAwaitPolicy` says (at most `readinessTimeoutSeconds`, then `up` fails
 * with the provider's reason). In render mode Secrets are rendered without their
 * values (see `redactRenderedSecrets`).
 */
export function kubernetesOptions(
  context: ProgramContext,
  placement: KubernetesPlacement,
): pulumi.ComponentResourceOptions {
  const target = kubernetesTargetOf(context.platform, placement.cluster);
  if (target.mode === "render") {
    const provider = new k8s.Provider("kubernetes", {
      renderYamlToDirectory: join(target.directory, context.stackName),
    });
    return { providers: { kubernetes: provider }, transforms: [redactRenderedSecrets] };
  }
  const awaitReadiness = clusterAwaitPolicy(placement.readinessTimeoutSeconds);
  if (target.kubeconfig === undefined && target.context === undefined) {
    return { transforms: [awaitReadiness] };
  }
  const provider = new k8s.Provider("kubernetes", {
    ...(target.kubeconfig === undefined ? {} : { kubeconfig: target.kubeconfig }),
    ...(target.context === undefined ? {} : { context: target.context }),
  });
  return { providers: { kubernetes: provider }, transforms: [awaitReadiness] };
}

/**
 * The `networkPolicy` argument of a box site or an App: ingress only from the ingress
 * controller's namespace, when the platform names it.
 */
export function networkPolicyOf(platform: PlatformSettings): {
  networkPolicy?: { ingressControllerNamespace: string };
} {
  const namespace = platform.ingressControllerNamespace;
  return namespace === undefined
    ? {}
    : { networkPolicy: { ingressControllerNamespace: namespace } };
}
