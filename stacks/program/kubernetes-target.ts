import { join } from "node:path";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ProgramContext } from "../platform/program-context.js";

/**
 * The resource options that send a site's Kubernetes objects where the platform says: the default
 * provider for a cluster from the environment, or an explicit provider that renders YAML into
 * `<directory>/<stack>/` (or talks to the named kubeconfig). Explicit, not stack config, so the
 * target is a property of the program on every machine rather than of one machine's config file.
 */
export function kubernetesOptions(context: ProgramContext): pulumi.ComponentResourceOptions {
  const target = context.platform.kubernetes;
  if (target.mode === "cluster" && target.kubeconfig === undefined) return {};
  const provider = new k8s.Provider(
    "kubernetes",
    target.mode === "render"
      ? { renderYamlToDirectory: join(target.directory, context.stackName) }
      : { kubeconfig: target.kubeconfig },
  );
  return { providers: { kubernetes: provider } };
}
