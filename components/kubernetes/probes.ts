import type * as k8s from "@pulumi/kubernetes";

type Probe = k8s.types.input.core.v1.Probe;

/**
 * Readiness by HTTP GET: the pod receives traffic only while `path` answers 2xx/3xx. Checked often
 * and given up on quickly, so a stuck pod leaves the Service within ~15 s.
 */
export function httpReadinessProbe(path: string, port: number): Probe {
  return {
    httpGet: { path, port },
    periodSeconds: 5,
    timeoutSeconds: 3,
    failureThreshold: 3,
  };
}

/** Readiness by TCP connect, for services without a known health path. */
export function tcpReadinessProbe(port: number): Probe {
  return { tcpSocket: { port }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 };
}

/**
 * Liveness by TCP connect: restart only a process that stopped accepting connections. Kept
 * different from readiness and much more patient (~1 min), so a slow dependency makes a pod
 * unready, never restarts it in a loop.
 */
export function tcpLivenessProbe(port: number): Probe {
  return {
    tcpSocket: { port },
    initialDelaySeconds: 10,
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 6,
  };
}

/** Readiness by a command inside the container (e.g. "the first sync left its marker file"). */
export function execReadinessProbe(command: readonly string[]): Probe {
  return {
    exec: { command: [...command] },
    periodSeconds: 10,
    timeoutSeconds: 3,
    failureThreshold: 3,
  };
}
