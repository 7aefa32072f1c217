import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { spreadOverNodes } from "../kubernetes/availability.js";
import { httpReadinessProbe, tcpLivenessProbe, tcpReadinessProbe } from "../kubernetes/probes.js";
import { resourceRequirements } from "../kubernetes/resources.js";
import { containerSecurityContext, podSecurityContext } from "../kubernetes/security.js";
import { writableVolumes } from "../kubernetes/volumes.js";
import type { ResolvedService } from "./resolve.js";

/** Names of the objects a service's pod reads its configuration from (absent when empty). */
export interface ServiceConfigRefs {
  readonly configMapName?: pulumi.Input<string>;
  readonly secretName?: pulumi.Input<string>;
  readonly imagePullSecretName?: pulumi.Input<string>;
}

/**
 * The pod of one app service: its prefixed variables from the service's ConfigMap and Secret
 * (`envFrom`, so no value is ever written into the pod spec), probes when it has a port (readiness
 * over HTTP and liveness over TCP when a health path is known, readiness over TCP otherwise), and the security
 * profile's contexts.
 */
export function servicePodSpec(
  service: ResolvedService,
  refs: ServiceConfigRefs,
  selector: Record<string, string>,
): k8s.types.input.core.v1.PodSpec {
  const writable = writableVolumes(service.writablePaths);
  const envFrom = [
    ...(refs.configMapName === undefined ? [] : [{ configMapRef: { name: refs.configMapName } }]),
    ...(refs.secretName === undefined ? [] : [{ secretRef: { name: refs.secretName } }]),
  ];
  const port = service.port;
  return {
    automountServiceAccountToken: false,
    securityContext: podSecurityContext(service.securityProfile),
    affinity: spreadOverNodes(service.replicas, selector),
    ...(refs.imagePullSecretName === undefined
      ? {}
      : { imagePullSecrets: [{ name: refs.imagePullSecretName }] }),
    containers: [
      {
        name: service.name,
        image: service.image,
        imagePullPolicy: "Always",
        ...(envFrom.length === 0 ? {} : { envFrom }),
        ...(port === undefined
          ? {}
          : {
              ports: [{ name: "http", containerPort: port, protocol: "TCP" }],
              ...(service.healthPath === undefined
                ? // A TCP liveness probe would only repeat the readiness check (and restart what
                  // readiness merely takes out of rotation); a dead process exits anyway.
                  { readinessProbe: tcpReadinessProbe(port) }
                : {
                    readinessProbe: httpReadinessProbe(service.healthPath, port),
                    livenessProbe: tcpLivenessProbe(port),
                  }),
            }),
        resources: resourceRequirements(service.resources),
        securityContext: containerSecurityContext(service.securityProfile),
        volumeMounts: writable.mounts,
      },
    ],
    volumes: writable.volumes,
  };
}

/** The `.dockerconfigjson` of a registry login, for an image pull Secret. */
export function dockerConfigJson(server: string, username: string, password: string): string {
  const auth = Buffer.from(`${username}:${password}`).toString("base64");
  return JSON.stringify({ auths: { [server]: { username, password, auth } } });
}
