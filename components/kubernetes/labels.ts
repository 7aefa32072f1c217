/** What identifies a workload in the standard `app.kubernetes.io/*` labels. */
export interface WorkloadIdentity {
  /** The application, e.g. `box` or `users` (`app.kubernetes.io/name`). */
  readonly name: string;
  /** This installation of it, e.g. the site code `acme` (`app.kubernetes.io/instance`). */
  readonly instance: string;
  /** The role inside the application, e.g. `web` (`app.kubernetes.io/component`). @default - none */
  readonly component?: string;
  /** The larger system it belongs to, e.g. the app name (`app.kubernetes.io/part-of`). @default - none */
  readonly partOf?: string;
  /** The version running, e.g. the image tag (`app.kubernetes.io/version`). @default - none */
  readonly version?: string;
}

/** The value sitestack writes into `app.kubernetes.io/managed-by`. */
export const managedBy = "sitestack";

/**
 * The labels a pod selector uses: only the identity labels that never change over a workload's
 * life. A Deployment's selector is immutable, so the version must never be part of it.
 */
export function selectorLabels(identity: WorkloadIdentity): Record<string, string> {
  return {
    "app.kubernetes.io/name": identity.name,
    "app.kubernetes.io/instance": identity.instance,
    ...(identity.component === undefined
      ? {}
      : { "app.kubernetes.io/component": identity.component }),
  };
}

/** The recommended `app.kubernetes.io/*` labels for every object of a workload. */
export function standardLabels(identity: WorkloadIdentity): Record<string, string> {
  return {
    ...selectorLabels(identity),
    ...(identity.partOf === undefined ? {} : { "app.kubernetes.io/part-of": identity.partOf }),
    ...(identity.version === undefined
      ? {}
      : { "app.kubernetes.io/version": labelValue(identity.version) }),
    "app.kubernetes.io/managed-by": managedBy,
  };
}

/**
 * A label value made from free text (e.g. an image digest): at most 63 characters of
 * `[A-Za-z0-9._-]`, starting and ending alphanumeric, as the API server requires.
 */
export function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}
