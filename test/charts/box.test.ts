import { join } from "node:path";
import { stringify } from "yaml";
import { beforeAll, describe, expect, test } from "vitest";
import type { KubernetesObject } from "../../components/staging/index.js";
import { defaultPlatformSettings } from "../../stacks/platform/settings.js";
import { helmTemplate } from "../../stacks/staging/helm.js";
import { renderStaging, repositoryChartsDir } from "../../stacks/staging/render.js";
import { toolPath } from "../support/tools.js";
import { boxStaging, fixtureSecrets } from "../staging/fixtures.js";
import { kubernetesVersion } from "../support/kubeconform-schemas.js";
import { kubeconform, kubeScore, runTool } from "../support/validators.js";

const chartDir = join(repositoryChartsDir(), "box");
const kubeScoreExceptionsFile = join(chartDir, "ci", "kube-score-exceptions.json");
let helm: string;
let kubeVersion: string;
let rendered: KubernetesObject[];

beforeAll(async () => {
  [helm, kubeVersion] = await Promise.all([toolPath("helm"), kubernetesVersion()]);
  rendered = [
    ...(
      await renderStaging(boxStaging(), defaultPlatformSettings, {
        chartsDir: repositoryChartsDir(),
        helm,
        kubeVersion,
      })
    ).objects,
  ];
});

const manifests = (objects: readonly KubernetesObject[]) =>
  objects.map((object) => `---\n${stringify(object)}`).join("");

function find(kind: string, objects: readonly KubernetesObject[] = rendered) {
  const hits = objects.filter((o) => o.kind === kind);
  if (hits.length === 0) throw new Error(`no ${kind} rendered`);
  return hits;
}

type PodSpec = {
  securityContext: Record<string, unknown>;
  automountServiceAccountToken?: boolean;
  initContainers?: Array<Record<string, unknown>>;
  containers: Array<Record<string, unknown>>;
  volumes?: Array<Record<string, unknown>>;
};

function podSpecs(objects: readonly KubernetesObject[] = rendered): Array<[string, PodSpec]> {
  return objects
    .filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet")
    .map((o) => [o.metadata.name, (o.spec as { template: { spec: PodSpec } }).template.spec]);
}

describe("helm lint --strict and helm's own checks", () => {
  test.each(["staging-values.yaml", "two-replicas-values.yaml"])("passes with ci/%s", async (file) => {
    const result = await runTool(helm, [
      "lint",
      "--strict",
      chartDir,
      "--values",
      join(chartDir, "ci", file),
      "--kube-version",
      kubeVersion,
    ]);
    expect(result.output).toContain("1 chart(s) linted, 0 chart(s) failed");
    expect(result.exitCode).toBe(0);
  });

  // helm lint treats a missing `required` value as INFO, so the refusal is proven on a render.
  test("helm template refuses to render without the Secret that holds the secret values", async () => {
    const result = await runTool(helm, [
      "template",
      "pr-42",
      chartDir,
      "--set",
      "global.sitestack.baseDomain=staging.example.net",
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain(
      "global.sitestack.secretName is required: the name of a Secret with the keys site.oidcClientSecret and database.password",
    );
  });

  test("the values schema rejects a secret typed into the values", async () => {
    const result = await runTool(helm, [
      "lint",
      "--strict",
      chartDir,
      "--values",
      join(chartDir, "ci", "staging-values.yaml"),
      "--set",
      "database.password=hunter22",
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.output).toMatch(/additional properties 'password' not allowed|additionalProperties 'password' not allowed/);
  });
});

describe("rendered for a staging", () => {
  test("renders the expected objects", () => {
    expect(rendered.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      "ConfigMap/pr-42-box-settings",
      "Deployment/pr-42-box",
      "Ingress/pr-42-box",
      "NetworkPolicy/pr-42-box-database",
      "NetworkPolicy/pr-42-box-web",
      "Service/pr-42-box",
      "Service/pr-42-box-database",
      "StatefulSet/pr-42-box-database",
    ]);
  });

  test("passes kubeconform -strict", async () => {
    const result = await kubeconform(manifests(rendered));
    expect(result.lines).toEqual([
      `Summary: ${rendered.length} resources found parsing stdin - Valid: ${rendered.length}, Invalid: 0, Errors: 0, Skipped: 0`,
    ]);
    expect(result.exitCode).toBe(0);
  });

  test("kubeconform -strict catches a misspelt field (the schemas are strict)", async () => {
    const broken = rendered.map((o) =>
      o.kind === "Service" ? { ...o, spec: { ...(o.spec as object), selectr: {} } } : o,
    );
    const result = await kubeconform(manifests(broken));
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain("selectr");
  });

  test.each([
    ["one web replica", {}],
    ["two web replicas", { appOverrides: { box: { replicas: 2 } } }],
  ])("passes kube-score with only the justified exceptions (%s)", async (_, spec) => {
    const objects = (
      await renderStaging(boxStaging(spec), defaultPlatformSettings, {
        chartsDir: repositoryChartsDir(),
        helm,
        kubeVersion,
      })
    ).objects;
    const result = await kubeScore(manifests(objects), kubeScoreExceptionsFile);
    expect(result.lines).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  test("every pod meets the restricted Pod Security profile", () => {
    for (const [, pod] of podSpecs()) {
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 10001,
        seccompProfile: { type: "RuntimeDefault" },
      });
      for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
        expect(container.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          privileged: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        });
      }
      const allowed = ["emptyDir", "persistentVolumeClaim", "secret", "configMap", "projected"];
      for (const volume of pod.volumes ?? []) {
        expect(Object.keys(volume).filter((k) => k !== "name").every((k) => allowed.includes(k))).toBe(true);
      }
    }
  });

  test("the box containers run the staging's tag; the database keeps its own image", () => {
    const images = podSpecs().flatMap(([name, pod]) =>
      [...(pod.initContainers ?? []), ...pod.containers].map((c) => `${name}/${String(c.name)}=${String(c.image)}`),
    );
    expect(images).toEqual([
      "pr-42-box/box-sync-first=docker.io/juntoz/jzbox:0.4.0-pr.42",
      "pr-42-box/web=docker.io/juntoz/jzbox:0.4.0-pr.42",
      "pr-42-box/box-sync=docker.io/juntoz/jzbox:0.4.0-pr.42",
      "pr-42-box-database/postgres=docker.io/library/postgres:17",
    ]);
  });

  test("the image tag defaults to the chart's major tag", async () => {
    const objects = await helmTemplate({
      helm,
      chartDir,
      release: "plain",
      namespace: "plain",
      values: { global: { sitestack: { secretName: "s", baseDomain: "example.net" } } },
    });
    const web = (find("Deployment", objects)[0]!.spec as { template: { spec: PodSpec } }).template.spec
      .containers[0]!;
    expect(web.image).toBe("docker.io/juntoz/jzbox:0");
  });

  test("the init container syncs once before the web container; the sidecar's readiness is the marker file", () => {
    const [[, pod]] = podSpecs().filter(([name]) => name === "pr-42-box") as [[string, PodSpec]];
    expect(pod.initContainers?.map((c) => c.name)).toEqual(["box-sync-first"]);
    expect(pod.initContainers?.[0]?.env).toContainEqual({ name: "BOX_SYNC_MODE", value: "once" });
    const sidecar = pod.containers.find((c) => c.name === "box-sync")!;
    expect(sidecar.env).toContainEqual({ name: "BOX_SYNC_MODE", value: "watch" });
    expect(sidecar.env).toContainEqual({ name: "BOX_SYNC_INTERVAL_SECONDS", value: "60" });
    expect(sidecar.readinessProbe).toMatchObject({
      exec: { command: ["test", "-f", "/var/www/html/themes/.box-sync-complete"] },
    });
  });

  test("the Ingress answers on the automatic staging host with a cert-manager certificate", () => {
    const [ingress] = find("Ingress");
    expect(ingress!.metadata.annotations).toEqual({ "cert-manager.io/cluster-issuer": "letsencrypt-staging" });
    expect(ingress!.spec).toMatchObject({
      ingressClassName: "nginx",
      tls: [{ hosts: ["pr-42.staging.sites.example.net"], secretName: "pr-42-box-tls" }],
      rules: [{ host: "pr-42.staging.sites.example.net" }],
    });
  });

  test("the database keeps its volume when scaled down or deleted", () => {
    const [statefulSet] = find("StatefulSet");
    expect(statefulSet!.spec).toMatchObject({
      persistentVolumeClaimRetentionPolicy: { whenScaled: "Retain", whenDeleted: "Retain" },
      volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { resources: { requests: { storage: "1Gi" } } } }],
    });
  });

  test("secret values reach the pods only by reference to the secret-values Secret", () => {
    const text = JSON.stringify(rendered);
    for (const value of Object.values(fixtureSecrets)) expect(text).not.toContain(value);
    const refs = [...text.matchAll(/"secretKeyRef":\{"name":"([^"]+)","key":"([^"]+)"\}/g)].map(
      (m) => `${m[1]}:${m[2]}`,
    );
    expect(new Set(refs)).toEqual(
      new Set(["pr-42-secret-values:site.oidcClientSecret", "pr-42-secret-values:database.password"]),
    );
  });
});
