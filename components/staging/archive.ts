import type { KubernetesObject } from "./objects.js";

/** Workloads archive scales to zero: their objects stay, so restore is an in-place update. */
const scalable: ReadonlySet<string> = new Set([
  "Deployment",
  "StatefulSet",
  "ReplicaSet",
  "ReplicationController",
]);

/**
 * Kinds archive removes: they run pods and cannot be scaled to zero (a Job cannot be resized, a
 * DaemonSet runs one pod per node), or would scale a workload back up (a HorizontalPodAutoscaler).
 * Restore creates them again from the same rendered objects.
 */
const removed: ReadonlySet<string> = new Set([
  "DaemonSet",
  "HorizontalPodAutoscaler",
  "Job",
  "Pod",
]);

/**
 * The form an object takes while its staging is archived: compute gone, data kept.
 *
 * - Deployments, StatefulSets, ReplicaSets and ReplicationControllers get `replicas: 0`. A
 *   StatefulSet's PersistentVolumeClaims (from `volumeClaimTemplates`) are not deleted when it is
 *   scaled down: Kubernetes keeps them unless `persistentVolumeClaimRetentionPolicy.whenScaled` is
 *   `Delete`, which {@link archiveProblem} refuses.
 * - CronJobs get `suspend: true` (no new Jobs).
 * - Jobs, DaemonSets, bare Pods and HorizontalPodAutoscalers are removed (undefined).
 * - Everything else (Services, Ingresses and their certificates, ConfigMaps, Secrets,
 *   PersistentVolumeClaims, NetworkPolicies…) is unchanged.
 *
 * Pure: the rendered object is not modified.
 */
export function archivedObject(object: KubernetesObject): KubernetesObject | undefined {
  if (removed.has(object.kind)) return undefined;
  const spec = (object.spec ?? {}) as Record<string, unknown>;
  if (scalable.has(object.kind)) return { ...object, spec: { ...spec, replicas: 0 } };
  if (object.kind === "CronJob") return { ...object, spec: { ...spec, suspend: true } };
  return object;
}

/**
 * Why archiving `object` would lose data, or undefined. A StatefulSet whose claims are deleted
 * when it is scaled down would take its volumes with it on archive.
 */
export function archiveProblem(object: KubernetesObject): string | undefined {
  if (object.kind !== "StatefulSet") return undefined;
  const spec = (object.spec ?? {}) as Record<string, unknown>;
  const policy = (spec.persistentVolumeClaimRetentionPolicy ?? {}) as Record<string, unknown>;
  if (policy.whenScaled === "Delete") {
    return `StatefulSet/${object.metadata.name} deletes its volumes when scaled down (persistentVolumeClaimRetentionPolicy.whenScaled: Delete), so archive would lose its data: use Retain`;
  }
  return undefined;
}
