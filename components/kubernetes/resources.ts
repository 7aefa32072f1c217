import type * as k8s from "@pulumi/kubernetes";

/** CPU and memory of one container, in Kubernetes quantities (`100m`, `256Mi`). */
export interface ContainerResources {
  /** CPU the scheduler reserves. @default "100m" */
  readonly cpuRequest?: string;
  /** Memory the scheduler reserves. @default "128Mi" */
  readonly memoryRequest?: string;
  /** Memory above which the container is killed. @default "256Mi" */
  readonly memoryLimit?: string;
  /** Local disk (writable layer, logs, emptyDir share) the scheduler reserves. @default "64Mi" */
  readonly ephemeralStorageRequest?: string;
  /** Local disk above which the pod is evicted, so it cannot fill the node. @default "1Gi" */
  readonly ephemeralStorageLimit?: string;
}

/** The defaults of {@link ContainerResources}, for small web processes. */
export const defaultContainerResources: Required<ContainerResources> = {
  cpuRequest: "100m",
  memoryRequest: "128Mi",
  memoryLimit: "256Mi",
  ephemeralStorageRequest: "64Mi",
  ephemeralStorageLimit: "1Gi",
};

/** Defaults for helper containers such as a sync sidecar: small and bounded. */
export const helperContainerResources: Required<ContainerResources> = {
  cpuRequest: "10m",
  memoryRequest: "32Mi",
  memoryLimit: "128Mi",
  ephemeralStorageRequest: "16Mi",
  ephemeralStorageLimit: "256Mi",
};

/**
 * A container's `resources`: requests for CPU, memory and local disk, limits for memory and local
 * disk only (a runaway writer, e.g. a theme sync, cannot fill the node's disk). There is no
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
      "ephemeral-storage": resources.ephemeralStorageRequest ?? defaults.ephemeralStorageRequest,
    },
    limits: {
      memory: resources.memoryLimit ?? defaults.memoryLimit,
      "ephemeral-storage": resources.ephemeralStorageLimit ?? defaults.ephemeralStorageLimit,
    },
  };
}
