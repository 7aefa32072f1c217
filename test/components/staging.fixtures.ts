import type { KubernetesObject } from "../../components/staging/index.js";

/** A small rendered chart with one object of each kind the archive rules treat differently. */
export function renderedObjects(): KubernetesObject[] {
  const labels = { "app.kubernetes.io/name": "box", "app.kubernetes.io/instance": "pr-42" };
  const podTemplate = {
    metadata: { labels },
    spec: { containers: [{ name: "box", image: "jzbox:0.4.1" }] },
  };
  return [
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "pr-42-box-settings" },
      data: { SITE_ID: "42" },
    },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "pr-42-box-chart" },
      stringData: { token: "chart-default" },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "pr-42-box", labels },
      spec: { selector: labels, ports: [{ name: "http", port: 80, targetPort: "http" }] },
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "pr-42-box", labels },
      spec: { replicas: 2, selector: { matchLabels: labels }, template: podTemplate },
    },
    {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "pr-42-box-database" },
      spec: {
        replicas: 1,
        serviceName: "pr-42-box-database",
        persistentVolumeClaimRetentionPolicy: { whenScaled: "Retain", whenDeleted: "Retain" },
        selector: { matchLabels: labels },
        template: podTemplate,
      },
    },
    {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "pr-42-box-report" },
      spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: podTemplate } } },
    },
    {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "pr-42-box-migrate" },
      spec: { template: podTemplate },
    },
    {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "pr-42-box" },
      spec: {
        minReplicas: 2,
        maxReplicas: 4,
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "pr-42-box" },
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: {
        name: "pr-42-box",
        annotations: { "cert-manager.io/cluster-issuer": "letsencrypt-staging" },
      },
      spec: {
        tls: [{ hosts: ["pr-42.staging.example.net"], secretName: "pr-42-box-tls" }],
        rules: [{ host: "pr-42.staging.example.net" }],
      },
    },
  ];
}
