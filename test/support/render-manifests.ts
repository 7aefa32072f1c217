/**
 * Turns the Kubernetes resources a mocked Pulumi program registered into the manifests
 * pulumi-kubernetes would send to the API server, so real validators (kubeconform, kube-score, the
 * API server's admission) can check what the components produce.
 */
import { stringify } from "yaml";
import { autoName, reveal, type RecordedResource } from "./mocks.js";

/** One Kubernetes object as a plain JSON value. */
export type Manifest = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & { name: string; namespace?: string };
};

/**
 * The managed Kubernetes objects among `resources` (reads of existing objects and other providers'
 * resources are left out), secrets revealed, undefined fields dropped, and `metadata.name` filled
 * in where the program left it unset, the way pulumi-kubernetes autonaming does (the same names the
 * mocks handed back to the program, see {@link autoName}).
 */
export function renderManifests(resources: readonly RecordedResource[]): Manifest[] {
  return resources
    .filter((r) => r.custom && !r.read && r.type.startsWith("kubernetes:"))
    .map((r) => {
      const object = withoutUndefined(reveal(r.inputs)) as Manifest;
      const metadata = object.metadata ?? {};
      return {
        ...object,
        metadata: { ...metadata, name: (metadata.name as string | undefined) ?? autoName(r.name) },
      } as Manifest;
    });
}

/** Manifests as one multi-document YAML stream. */
export function toYamlStream(manifests: readonly Manifest[]): string {
  return manifests.map((m) => stringify(m, { lineWidth: 0 })).join("---\n");
}

function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, withoutUndefined(v)]),
    );
  }
  return value;
}
