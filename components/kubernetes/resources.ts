import type * as k8s from "@pulumi/kubernetes";

/** CPU and memory of one container, in Kubernetes quantities (`100m`, `256Mi`). */
export interface ContainerResources {
  /** CPU the scheduler reserves. @default "100m" */
  readonly cpuRequest?: string;
  /** Memory the scheduler reserves. @default "128Mi" */
  readonly memoryRequest?: string;
  /** Memory above which the container is killed. @default "256Mi" */
  readonly memoryLimit?: string;
}

/** The defaults of {@link ContainerResources}, for small web processes. */
export const defaultContainerResources: Required<ContainerResources> = {
  cpuRequest: "100m",
  memoryRequest: "128Mi",
  memoryLimit: "256Mi",
};

/** Defaults for helper containers such as a sync sidecar: small and bounded. */
export const helperContainerResources: Required<ContainerResources> = {
  cpuRequest: "10m",
  memoryRequest: "32Mi",
  memoryLimit: "128Mi",
};

/**
 * A container's `resources`: requests for CPU and memory, a limit for memory only. There is no
 * CPU limit on purpose: CFS throttling stalls request bursts (a PHP page render) while the node
 * has idle CPU; the request already guarantees the share. Memory is limited because memory cannot
 * be throttled, only reclaimed by killing. (kube-score's CPU-limit check is waived for this reason,
 * see tools/kube-score-exceptions.json.)
 */
export function resourceRequirements(
  resources: ContainerResources = {},
  defaults: Required<ContainerResources> = defaultContainerResources,
): k8s.types.input.core.v1.ResourceRequirements {
  return {
    requests: {
      cpu: resources.cpuRequest ?? defaults.cpuRequest,
      memory: resources.memoryRequest ?? defaults.memoryRequest,
    },
    limits: { memory: resources.memoryLimit ?? defaults.memoryLimit },
  };
}
