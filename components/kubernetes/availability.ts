import type * as k8s from "@pulumi/kubernetes";

/**
 * The PodDisruptionBudget spec of a workload with `replicas` > 1: one pod at a time may be evicted
 * (a node drain never takes the whole site down), and unhealthy pods may always be evicted so a
 * broken rollout never blocks a drain.
 */
export function podDisruptionBudgetSpec(
  selector: Record<string, string>,
): k8s.types.input.policy.v1.PodDisruptionBudgetSpec {
  return {
    maxUnavailable: 1,
    selector: { matchLabels: selector },
    unhealthyPodEvictionPolicy: "AlwaysAllow",
  };
}

/** Whether a workload gets a PodDisruptionBudget: only when more than one pod can serve. */
export function needsDisruptionBudget(replicas: number): boolean {
  return replicas > 1;
}

/**
 * Pod anti-affinity for `replicas` ≥ 2: prefer spreading pods over nodes, so one node failure does
 * not take every replica. Preferred, not required: a small cluster still schedules them.
 */
export function spreadOverNodes(
  replicas: number,
  selector: Record<string, string>,
): k8s.types.input.core.v1.Affinity | undefined {
  if (replicas < 2) return undefined;
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: {
            topologyKey: "kubernetes.io/hostname",
            labelSelector: { matchLabels: selector },
          },
        },
      ],
    },
  };
}
