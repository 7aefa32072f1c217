import type * as k8s from "@pulumi/kubernetes";

/** A volume name from a path: `/var/www/html/storage` → `w-var-www-html-storage`. */
export function volumeNameOf(path: string): string {
  const slug = path
    .replace(/[^a-z0-9]+/gi, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase();
  return `w-${slug}`.slice(0, 63).replace(/-+$/, "");
}

/**
 * One emptyDir volume and mount per writable path: the `restricted` profile makes the root
 * filesystem read-only, so every path a process writes to (`/tmp`, caches) needs its own volume.
 */
export function writableVolumes(paths: readonly string[]): {
  volumes: k8s.types.input.core.v1.Volume[];
  mounts: k8s.types.input.core.v1.VolumeMount[];
} {
  return {
    volumes: paths.map((path) => ({ name: volumeNameOf(path), emptyDir: {} })),
    mounts: paths.map((path) => ({ name: volumeNameOf(path), mountPath: path })),
  };
}

/** Problems with a list of writable paths (absolute, distinct, distinct volume names). */
export function writablePathProblems(field: string, paths: readonly string[]): string[] {
  const problems: string[] = [];
  const names = new Map<string, string>();
  for (const [i, path] of paths.entries()) {
    if (!/^\/[A-Za-z0-9._/-]*$/.test(path)) {
      problems.push(`${field}[${i}] must be an absolute path, got ${JSON.stringify(path)}`);
      continue;
    }
    const earlier = names.get(volumeNameOf(path));
    if (earlier !== undefined) {
      problems.push(
        `${field}[${i}] must differ from ${JSON.stringify(earlier)} (both make volume ${volumeNameOf(path)}), got ${JSON.stringify(path)}`,
      );
    } else names.set(volumeNameOf(path), path);
  }
  return problems;
}
