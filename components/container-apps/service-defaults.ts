import type { ContainerAppProbes, ContainerAppServiceArgs, RevisionsMode } from "./args.js";

/** How a service is reached: from the internet, only inside the environment, or not at all. */
export type IngressKind = "external" | "internal" | "none";

/** A service with every default filled in; what the renderers work from. */
export interface ResolvedService {
  readonly name: string;
  readonly image: string;
  readonly port: number | undefined;
  readonly ingressPath: string | undefined;
  readonly ingress: IngressKind;
  readonly env: Readonly<Record<string, string>>;
  readonly secretEnv: ContainerAppServiceArgs["secretEnv"] & object;
  readonly probes: Required<ContainerAppProbes> | { readonly tcp: true } | undefined;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly concurrentRequests: number;
  readonly cpuCores: number;
  readonly memoryGiB: number;
  readonly revisionsMode: RevisionsMode;
}

/** Defaults of a service, in one place so docs and code agree. */
export const serviceDefaults = {
  minReplicas: 1,
  /** maxReplicas is max(minReplicas, this). */
  maxReplicasFloor: 3,
  /** The Container Apps default of the HTTP scale rule. */
  concurrentRequests: 10,
  cpuCores: 0.5,
  /** The consumption plan pairs each vCPU with 2 GiB. */
  memoryGiBPerCore: 2,
  probeInitialDelaySeconds: 5,
  probePeriodSeconds: 10,
  probeFailureThreshold: 3,
  revisionsMode: "single",
} as const;

/**
 * The ingress rule shared with the Kubernetes target: a port and a path make a public HTTP
 * service, a port alone an internal one, no port a worker.
 */
export function ingressKind(
  service: Pick<ContainerAppServiceArgs, "port" | "ingressPath">,
): IngressKind {
  if (service.port === undefined) return "none";
  return service.ingressPath === undefined ? "internal" : "external";
}

/** Fills in the defaults of one service. Pure; validation happens before (see validate.ts). */
export function resolveService(service: ContainerAppServiceArgs): ResolvedService {
  const minReplicas = service.minReplicas ?? serviceDefaults.minReplicas;
  const cpuCores = service.cpuCores ?? serviceDefaults.cpuCores;
  let probes: ResolvedService["probes"];
  if (service.probes !== undefined) {
    probes = {
      path: service.probes.path,
      initialDelaySeconds:
        service.probes.initialDelaySeconds ?? serviceDefaults.probeInitialDelaySeconds,
      periodSeconds: service.probes.periodSeconds ?? serviceDefaults.probePeriodSeconds,
      failureThreshold: service.probes.failureThreshold ?? serviceDefaults.probeFailureThreshold,
    };
  } else if (service.port !== undefined) {
    // Without a health path the only safe check is that the port accepts connections: an HTTP
    // probe on "/" would restart services (FastAPI ones among them) that answer 404 there.
    probes = { tcp: true };
  }
  return {
    name: service.name,
    image: service.image,
    port: service.port,
    ingressPath: service.ingressPath,
    ingress: ingressKind(service),
    env: service.env ?? {},
    secretEnv: service.secretEnv ?? {},
    probes,
    minReplicas,
    maxReplicas: service.maxReplicas ?? Math.max(minReplicas, serviceDefaults.maxReplicasFloor),
    concurrentRequests: service.concurrentRequests ?? serviceDefaults.concurrentRequests,
    cpuCores,
    memoryGiB: service.memoryGiB ?? cpuCores * serviceDefaults.memoryGiBPerCore,
    revisionsMode: service.revisionsMode ?? serviceDefaults.revisionsMode,
  };
}
