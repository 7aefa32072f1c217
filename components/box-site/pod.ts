import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { spreadOverNodes } from "../kubernetes/availability.js";
import { execReadinessProbe, httpReadinessProbe, tcpLivenessProbe } from "../kubernetes/probes.js";
import { helperContainerResources, resourceRequirements } from "../kubernetes/resources.js";
import { containerSecurityContext, podSecurityContext } from "../kubernetes/security.js";
import { writableVolumes } from "../kubernetes/volumes.js";
import type { ResolvedBoxSite } from "./resolve.js";

type PodSpec = k8s.types.input.core.v1.PodSpec;
type EnvVar = k8s.types.input.core.v1.EnvVar;

/** Keys of the site's Secret; the web container gets them all as environment variables. */
export const settingsKeys = {
  siteId: "BOX_SITE_ID",
  siteCode: "BOX_SITE_CODE",
  domain: "BOX_SITE_DOMAIN",
  testDomain: "BOX_SITE_TEST_DOMAIN",
  techEmail: "BOX_TECH_EMAIL",
  oidcClientId: "BOX_OIDC_CLIENT_ID",
  oidcClientSecret: "BOX_OIDC_CLIENT_SECRET",
  redisUrl: "BOX_SYNC_REDIS_URL",
} as const;

/**
 * The file box-sync writes into the themes directory after each complete sync. The contract with
 * the image: the sidecar's readiness is "this file exists", so the pod is Ready only when themes
 * are present AND the web container answers (a pod is Ready only when every container is).
 */
export const syncMarkerFile = ".box-sync-complete";

/** The plain (non-secret) settings the site's Secret carries besides the OIDC client secret. */
export function siteSettings(site: ResolvedBoxSite): Record<string, string> {
  return {
    [settingsKeys.siteId]: String(site.siteId),
    [settingsKeys.siteCode]: site.code,
    [settingsKeys.domain]: site.domain,
    [settingsKeys.testDomain]: site.testDomain,
    [settingsKeys.techEmail]: site.techEmail,
    [settingsKeys.oidcClientId]: site.oidcClientId,
  };
}

/**
 * The box pod: an init container runs the first theme sync into the shared `themes` emptyDir
 * before the web container starts; a `box-sync` sidecar keeps the themes fresh (on the interval and,
 * when configured, on Redis pub/sub). The sync cannot be a CronJob: another pod cannot write into
 * this pod's disk.
 */
export function boxPodSpec(
  site: ResolvedBoxSite,
  settingsSecretName: pulumi.Input<string>,
  selector: Record<string, string>,
): PodSpec {
  const security = containerSecurityContext(site.securityProfile);
  const writable = writableVolumes(site.writablePaths);
  const themesMount = { name: "themes", mountPath: site.themesPath };
  const syncTmpMount = { name: "sync-tmp", mountPath: "/tmp" };
  const syncEnv = (mode: "once" | "watch"): EnvVar[] => [
    { name: "BOX_SYNC_MODE", value: mode },
    { name: "BOX_SYNC_SOURCE", value: site.themesSource },
    { name: "BOX_SYNC_DIR", value: site.themesPath },
    { name: "BOX_SYNC_MARKER_FILE", value: syncMarkerFile },
    { name: "BOX_SITE_ID", value: String(site.siteId) },
    { name: "BOX_SITE_CODE", value: site.code },
    ...(mode === "watch"
      ? [{ name: "BOX_SYNC_INTERVAL_SECONDS", value: String(site.syncIntervalSeconds) }]
      : []),
    ...(mode === "watch" && site.syncChannel !== undefined
      ? [
          { name: "BOX_SYNC_REDIS_CHANNEL", value: site.syncChannel },
          {
            name: settingsKeys.redisUrl,
            valueFrom: { secretKeyRef: { name: settingsSecretName, key: settingsKeys.redisUrl } },
          },
        ]
      : []),
  ];
  const syncContainer = (
    name: string,
    mode: "once" | "watch",
  ): k8s.types.input.core.v1.Container => ({
    name,
    image: site.image,
    // The major tag moves: a restarted pod must pull the newest minor of it.
    imagePullPolicy: "Always",
    command: [...site.syncCommand],
    env: syncEnv(mode),
    resources: resourceRequirements({}, helperContainerResources),
    securityContext: security,
    volumeMounts: [themesMount, syncTmpMount],
  });

  return {
    automountServiceAccountToken: false,
    securityContext: podSecurityContext(site.securityProfile),
    affinity: spreadOverNodes(site.replicas, selector),
    initContainers: [syncContainer("box-sync-first", "once")],
    containers: [
      {
        name: "web",
        image: site.image,
        imagePullPolicy: "Always",
        ports: [{ name: "http", containerPort: site.port, protocol: "TCP" }],
        envFrom: [{ secretRef: { name: settingsSecretName } }],
        resources: resourceRequirements(site.resources),
        securityContext: security,
        readinessProbe: httpReadinessProbe(site.healthPath, site.port),
        livenessProbe: tcpLivenessProbe(site.port),
        volumeMounts: [{ ...themesMount, readOnly: true }, ...writable.mounts],
      },
      {
        ...syncContainer("box-sync", "watch"),
        readinessProbe: execReadinessProbe(["test", "-f", `${site.themesPath}/${syncMarkerFile}`]),
      },
    ],
    volumes: [
      { name: "themes", emptyDir: {} },
      { name: "sync-tmp", emptyDir: {} },
      ...writable.volumes,
    ],
  };
}
