import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { setMocks } from "../support/mocks.js";
import { toYamlStream } from "../support/render-manifests.js";
import { exampleMockCalls, exampleMockState, examples, renderExample } from "./examples.js";
import {
  kubeconform,
  kubeScore,
  kubeScoreExceptions,
  kubeScorePolicy,
} from "../support/validators.js";

const mocks = await setMocks({ state: exampleMockState, calls: exampleMockCalls });

// Building the validators from Go modules the first time takes minutes.
const toolTimeout = 900_000;

describe("rendered manifests of every example", () => {
  test.each(examples().map((e) => [e.name, e] as const))(
    "%s pass kubeconform -strict and kube-score",
    async (_name, example) => {
      const manifests = await renderExample(mocks, example);
      expect(manifests.length).toBeGreaterThan(5);
      const yaml = toYamlStream(manifests);

      const schema = await kubeconform(yaml);
      expect(schema.lines.filter((l) => !l.startsWith("Summary:"))).toEqual([]);
      expect(schema.lines.at(-1)).toBe(
        `Summary: ${manifests.length} resources found parsing stdin - Valid: ${manifests.length}, Invalid: 0, Errors: 0, Skipped: 0`,
      );
      expect(schema.exitCode).toBe(0);

      const score = await kubeScore(yaml);
      expect(score.lines).toEqual([]);
      expect(score.exitCode).toBe(0);
    },
    toolTimeout,
  );
});

describe("the validators themselves", () => {
  test(
    "kubeconform rejects unknown fields in built-in, cert-manager and Gateway API kinds",
    async () => {
      const report = await kubeconform(
        [
          "apiVersion: apps/v1",
          "kind: Deployment",
          "metadata: {name: web, namespace: site}",
          "spec:",
          "  selector: {matchLabels: {app: web}}",
          "  template:",
          "    metadata: {labels: {app: web}}",
          "    spec: {containers: [{name: web, image: 'web:1', securityContext: {runAsRoot: true}}]}",
          "---",
          "apiVersion: cert-manager.io/v1",
          "kind: Certificate",
          "metadata: {name: domain, namespace: site}",
          "spec: {secretName: domain-tls, dnsName: [acme.com], issuerRef: {name: letsencrypt}}",
          "---",
          "apiVersion: gateway.networking.k8s.io/v1",
          "kind: HTTPRoute",
          "metadata: {name: web, namespace: site}",
          "spec: {hostnames: [acme.com], rule: []}",
        ].join("\n"),
      );
      expect(report.exitCode).toBe(1);
      expect(report.lines.at(-1)).toBe(
        "Summary: 3 resources found parsing stdin - Valid: 0, Invalid: 3, Errors: 0, Skipped: 0",
      );
      expect(report.lines.join("\n")).toMatch(/additional properties 'runAsRoot' not allowed/);
      expect(report.lines.join("\n")).toMatch(/additional properties 'dnsName' not allowed/);
      expect(report.lines.join("\n")).toMatch(/additional properties 'rule' not allowed/);
    },
    toolTimeout,
  );

  test(
    "kube-score reports a Deployment without the hardening",
    async () => {
      const report = await kubeScore(
        [
          "apiVersion: apps/v1",
          "kind: Deployment",
          "metadata: {name: web, namespace: site}",
          "spec:",
          "  replicas: 2",
          "  selector: {matchLabels: {app: web}}",
          "  template:",
          "    metadata: {labels: {app: web}}",
          "    spec: {containers: [{name: web, image: 'web:latest'}]}",
        ].join("\n"),
      );
      expect(report.exitCode).toBe(1);
      const findings = report.lines.join("\n");
      expect(findings).toMatch(/Image with latest tag/);
      expect(findings).toMatch(/Container has no configured security context/);
      expect(findings).toMatch(/Memory limit is not set/);
      expect(findings).toMatch(/No matching PodDisruptionBudget was found/);
    },
    toolTimeout,
  );

  test("every kube-score exception gives a reason", async () => {
    const policy = await kubeScorePolicy();
    expect(policy.exceptions.map((e) => e.flag)).toEqual([
      "--ignore-container-cpu-limit",
      "--ignore-test=pod-networkpolicy",
      "--ignore-test=deployment-replicas",
    ]);
    for (const entry of [...policy.exceptions, ...policy.strictFlags]) {
      expect(entry.reason.length).toBeGreaterThan(20);
    }
  });

  test.each([
    [{ flag: "--ignore-container-cpu-limit" }, "every entry needs a reason"],
    [{ flag: "--ignore-container-cpu-limit", reason: "because" }, "every entry needs a reason"],
    [
      { ignoreTest: "deployment-replicas", reason: "x".repeat(40) },
      "every entry names a kube-score flag",
    ],
  ])("an exceptions file with %j is refused", async (entry, problem) => {
    const dir = await mkdtemp(join(tmpdir(), "sitestack-kube-score-"));
    const file = join(dir, "exceptions.json");
    try {
      await writeFile(file, JSON.stringify({ exceptions: [entry] }));
      await expect(kubeScoreExceptions(file)).rejects.toThrow(
        `${file}: ${problem}, got ${JSON.stringify(entry)}`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
