import { join } from "node:path";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ProgramContext } from "./context.js";
import { redactRenderedSecrets } from "./render-secrets.js";

/**
 * The resource options that send a site's Kubernetes objects where the platform says: the default
 * provider for a cluster from the environment, or an explicit provider that renders YAML into
 * `<directory>/<stack>/` (or talks to the named kubeconfig). Explicit, not stack config, so the
 * target is a property of the program on every machine rather than of one machine's config file.
 * Against a cluster, every object's create and update waits at most `readinessTimeoutSeconds` for
 * the provider's readiness checks, then fails with the provider's reason. In render mode Secrets
 * are rendered without their values (see `redactRenderedSecrets`).
 */
export function kubernetesOptions(
  context: ProgramContext,
  readinessTimeoutSeconds: number,
): pulumi.ComponentResourceOptions {
  const target = context.platform.kubernetes;
  if (target.mode === "render") {
    const provider = new k8s.Provider("kubernetes", {
      renderYamlToDirectory: join(target.directory, context.stackName),
    });
    return { providers: { kubernetes: provider }, transforms: [redactRenderedSecrets] };
  }
  return {
    ...(target.kubeconfig === undefined
      ? {}
      : {
          providers: {
            kubernetes: new k8s.Provider("kubernetes", { kubeconfig: target.kubeconfig }),
          },
        }),
    transforms: [awaitReadinessWithin(readinessTimeoutSeconds)],
  };
}

/**
 * A transform giving every Kubernetes object the custom timeouts the provider's await logic uses
 * (it reads `customTimeouts` before its own defaults of up to 10 minutes).
 */
function awaitReadinessWithin(seconds: number): pulumi.ResourceTransform {
  const timeout = `${seconds}s`;
  return (args) =>
    args.custom && args.type.startsWith("kubernetes:")
      ? {
          props: args.props,
          opts: { ...args.opts, customTimeouts: { create: timeout, update: timeout } },
        }
      : undefined;
}
