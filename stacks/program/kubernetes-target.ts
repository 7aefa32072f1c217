import { join } from "node:path";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ProgramContext } from "../platform/program-context.js";
import { kubernetesTargetOf, type PlatformSettings } from "../platform/settings.js";

/**
 * The resource options that send a site's Kubernetes objects where the platform says: the default
 * provider for a cluster from the environment, or an explicit provider that renders YAML into
 * `<directory>/<stack>/` (or talks to the kubeconfig and context of the site's `cluster`, or of the
 * platform's default cluster). Explicit, not stack config, so the target is a property of the
 * program on every machine rather than of one machine's config file.
 */
export function kubernetesOptions(
  context: ProgramContext,
  cluster?: string,
): pulumi.ComponentResourceOptions {
  const target = kubernetesTargetOf(context.platform, cluster);
  if (
    target.mode === "cluster" &&
    target.kubeconfig === undefined &&
    target.context === undefined
  ) {
    return {};
  }
  const provider = new k8s.Provider(
    "kubernetes",
    target.mode === "render"
      ? { renderYamlToDirectory: join(target.directory, context.stackName) }
      : {
          ...(target.kubeconfig === undefined ? {} : { kubeconfig: target.kubeconfig }),
          ...(target.context === undefined ? {} : { context: target.context }),
        },
  );
  return { providers: { kubernetes: provider } };
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
