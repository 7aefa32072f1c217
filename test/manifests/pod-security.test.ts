/**
 * The Pod Security "restricted" profile, proven by the real API server: every rendered manifest is
 * server-side applied (schema, CEL rules of the CRDs, admission), and the pod of every Deployment is
 * created with dryRun in its namespace, which carries `pod-security.kubernetes.io/enforce:
 * restricted`, so the PodSecurity admission plugin accepts or rejects it for real.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { podSecurityContext, containerSecurityContext } from "../../components/kubernetes/index.js";
import { startApiServer, type ApiServer } from "../support/apiserver.js";
import { KubeRequestFailed, type KubeObject } from "../support/kube.js";
import { setMocks } from "../support/mocks.js";
import type { Manifest } from "../support/render-manifests.js";
import { exampleMockCalls, exampleMockState, examples, renderExample } from "./examples.js";

const mocks = await setMocks({ state: exampleMockState, calls: exampleMockCalls });
let api: ApiServer;

beforeAll(async () => {
  api = await startApiServer({ controllerManager: false });
}, 900_000);
afterAll(async () => {
  await api?.stop();
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Creates `pod` with dryRun=All: admission runs, nothing is stored. */
async function dryRunPod(namespace: string, pod: Json): Promise<void> {
  await api.client.request("POST", `/api/v1/namespaces/${namespace}/pods?dryRun=All`, {
    body: pod,
  });
}

function podOf(deployment: Manifest): Json {
  const template = (deployment as Json).spec.template;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `${deployment.metadata.name}-pod`, labels: template.metadata.labels },
    spec: template.spec,
  };
}

describe("Pod Security admission on a real API server", () => {
  test.each(examples().map((e) => [e.name, e] as const))(
    "%s: applies, and every pod is admitted under enforce=restricted",
    async (_name, example) => {
      const manifests = await renderExample(mocks, example);
      for (const manifest of manifests) await api.client.apply(manifest as KubeObject);

      const deployments = manifests.filter((m) => m.kind === "Deployment");
      expect(deployments.length).toBeGreaterThan(0);
      for (const deployment of deployments) {
        const namespace = deployment.metadata.namespace!;
        const ns = await api.client.get(`/api/v1/namespaces/${namespace}`);
        expect(ns?.metadata?.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
        await dryRunPod(namespace, podOf(deployment));
      }
    },
    120_000,
  );

  test("rejects a pod of the root-allowed profile in the same namespace", async () => {
    const manifests = await renderExample(mocks, examples()[0]!);
    for (const manifest of manifests) await api.client.apply(manifest as KubeObject);
    const deployment = manifests.find((m) => m.kind === "Deployment")!;
    const pod = podOf(deployment);
    pod.spec.securityContext = podSecurityContext("root-allowed");
    for (const container of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
      container.securityContext = containerSecurityContext("root-allowed");
    }
    const failure = await dryRunPod(deployment.metadata.namespace!, pod).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(KubeRequestFailed);
    expect(String((failure as Error).message)).toMatch(/violates PodSecurity "restricted:latest"/);
    expect(String((failure as Error).message)).toMatch(/runAsNonRoot != true/);
  });
});
