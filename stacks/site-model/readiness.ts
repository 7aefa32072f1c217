import * as z from "zod";
import { describeValue } from "./messages.js";

/**
 * How long `up` waits for a site's Kubernetes objects to become ready (Deployments rolled out,
 * pods Ready, an Ingress given an address) before it fails with the provider's reason. Seed 004's
 * check step: a site whose pods never become ready is a failed operation, not a hang.
 */
export const readinessTimeoutPattern = /^[1-9][0-9]{0,3}[sm]$/;

/** The defaults per kind: a box site pulls a large image and migrates its database on first start. */
export const defaultReadinessTimeout = {
  BoxSite: "10m",
  App: "5m",
  Staging: "5m",
} as const;

/** `spec.readinessTimeout` of the Kubernetes kinds, e.g. `"90s"` or `"10m"` (at most 9999). */
export function readinessTimeoutField(kind: keyof typeof defaultReadinessTimeout) {
  return z
    .string()
    .regex(readinessTimeoutPattern, {
      error: (issue) =>
        `must be a duration in seconds or minutes like "90s" or "10m", got ${describeValue(issue.input)}`,
    })
    .optional()
    .meta({
      description: `How long up waits for the site's pods, services and ingress to become ready before failing with the reason (default ${defaultReadinessTimeout[kind]}).`,
      pattern: readinessTimeoutPattern.source,
    });
}

/** Seconds of a readiness timeout (`"90s"` → 90, `"10m"` → 600), the kind's default when absent. */
export function readinessTimeoutSeconds(
  kind: keyof typeof defaultReadinessTimeout,
  value: string | undefined,
): number {
  const timeout = value ?? defaultReadinessTimeout[kind];
  const amount = Number(timeout.slice(0, -1));
  return timeout.endsWith("m") ? amount * 60 : amount;
}
