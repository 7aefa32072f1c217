import type * as k8s from "@pulumi/kubernetes";
import { portProblem } from "../value-rules.js";

type PodSecurityContext = k8s.types.input.core.v1.PodSecurityContext;
type ContainerSecurityContext = k8s.types.input.core.v1.SecurityContext;

/**
 * How much a workload's containers may do.
 *
 * - `restricted` (default): meets the Pod Security Standard "restricted" and the usual linters
 *   (kube-linter, kube-score, checkov): non-root user 10001 (checkov wants ≥ 10000), seccomp
 *   `RuntimeDefault`, every capability dropped, no privilege escalation, read-only root filesystem
 *   (writable paths come from emptyDir volumes), no service account token.
 * - `root-allowed`: the way out for images that must start as root (e.g. an Apache image that binds
 *   port 80 and then switches to `www-data`). Exactly these relaxations, nothing else:
 *   `runAsNonRoot`/`runAsUser`/`runAsGroup` are left to the image, the root filesystem is writable,
 *   and the capabilities such a server needs to switch user and bind low ports are added back
 *   (`CHOWN`, `DAC_OVERRIDE`, `FOWNER`, `SETGID`, `SETUID`, `NET_BIND_SERVICE`, `KILL`).
 *   Seccomp, no privilege escalation and no service account token stay. This meets the Pod Security
 *   Standard "baseline", not "restricted": namespaces holding such a workload are labelled
 *   `enforce: baseline` (see {@link podSecurityLevel}).
 */
export type SecurityProfile = "restricted" | "root-allowed";

/**
 * Why a container of `profile` cannot listen on `port`, or `undefined`: a TCP port, and under
 * `restricted` (a non-root user without `NET_BIND_SERVICE`) not below 1024. The site-file schema
 * applies the same rule to Kubernetes services, which always run `restricted` there; components,
 * which offer the `root-allowed` way out, name it (`offerWayOut`).
 */
export function listenPortProblem(
  port: number,
  profile: SecurityProfile,
  offerWayOut = false,
): string | undefined {
  const range = portProblem(port);
  if (range !== undefined) return range;
  if (profile === "restricted" && port < 1024) {
    const wayOut = offerWayOut ? ', or use securityProfile "root-allowed"' : "";
    return `must be 1024 or above: containers run as a non-root user (the "restricted" security profile), which cannot bind lower ports; make the image listen on e.g. 8080${wayOut}`;
  }
  return undefined;
}

/** The user and group id of the `restricted` profile: above 10000, clear of host and image users. */
export const restrictedUserId = 10001;

/** Capabilities `root-allowed` adds back: what a root-started web server needs to drop to a user. */
export const rootAllowedCapabilities = [
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "SETGID",
  "SETUID",
  "NET_BIND_SERVICE",
  "KILL",
] as const;

/** The pod-level security context of a profile. */
export function podSecurityContext(profile: SecurityProfile): PodSecurityContext {
  switch (profile) {
    case "restricted":
      return {
        runAsNonRoot: true,
        runAsUser: restrictedUserId,
        runAsGroup: restrictedUserId,
        // Files on emptyDir volumes belong to this group, so every container can share them.
        fsGroup: restrictedUserId,
        seccompProfile: { type: "RuntimeDefault" },
      };
    case "root-allowed":
      return { seccompProfile: { type: "RuntimeDefault" } };
    default:
      return unknownProfile(profile);
  }
}

/** The container-level security context of a profile (set on every container, init ones too). */
export function containerSecurityContext(profile: SecurityProfile): ContainerSecurityContext {
  switch (profile) {
    case "restricted":
      return {
        runAsNonRoot: true,
        runAsUser: restrictedUserId,
        runAsGroup: restrictedUserId,
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
      };
    case "root-allowed":
      return {
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: false,
        capabilities: { drop: ["ALL"], add: [...rootAllowedCapabilities] },
      };
    default:
      return unknownProfile(profile);
  }
}

/** A Pod Security Standard level sitestack namespaces enforce. */
export type PodSecurityLevel = "restricted" | "baseline";

/**
 * The Pod Security Standard level a namespace can enforce when it holds workloads of these
 * profiles: `restricted` unless one of them is `root-allowed`.
 */
export function podSecurityLevel(profiles: readonly SecurityProfile[]): PodSecurityLevel {
  return profiles.includes("root-allowed") ? "baseline" : "restricted";
}

/** Labels that make the API server enforce (and warn and audit at) a Pod Security level. */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": level,
    "pod-security.kubernetes.io/warn": level,
    "pod-security.kubernetes.io/audit": level,
  };
}

function unknownProfile(profile: never): never {
  throw new Error(
    `unknown security profile ${JSON.stringify(profile)}: use "restricted" or "root-allowed"`,
  );
}
