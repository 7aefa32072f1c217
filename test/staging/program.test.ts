import { beforeAll, beforeEach, describe, expect, test } from "vitest";
import { stagingProgram } from "../../stacks/program/staging.js";
import { isSecret, reveal, setMocks } from "../support/mocks.js";
import { recordingContext, repositorySite } from "../support/site-files.js";
import { toolPath } from "../support/tools.js";
import { boxStaging, fixtureContext, fixtureSecrets } from "./fixtures.js";

const mocks = await setMocks();
let helm: string;

beforeAll(async () => {
  helm = await toolPath("helm");
});
beforeEach(() => mocks.reset());

describe("stagingProgram (real helm, mocked engine)", () => {
  test("declares the Staging with one child per rendered object, plus namespace and secret values", async () => {
    const outputs = await stagingProgram(boxStaging(), fixtureContext(), { helm })();
    await mocks.settle();
    expect(mocks.children()).toEqual([
      "kubernetes:apps/v1:Deployment::pr-42-deployment-pr-42-box",
      "kubernetes:apps/v1:StatefulSet::pr-42-statefulset-pr-42-box-database",
      "kubernetes:core/v1:ConfigMap::pr-42-configmap-pr-42-box-settings",
      "kubernetes:core/v1:Namespace::pr-42",
      "kubernetes:core/v1:Secret::pr-42-secret-values",
      "kubernetes:core/v1:Service::pr-42-service-pr-42-box",
      "kubernetes:core/v1:Service::pr-42-service-pr-42-box-database",
      "kubernetes:networking.k8s.io/v1:Ingress::pr-42-ingress-pr-42-box",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy::pr-42-networkpolicy-pr-42-box-database",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy::pr-42-networkpolicy-pr-42-box-web",
      "sitestack:staging:Staging::pr-42",
    ]);
    expect(outputs).toMatchObject({
      namespace: "staging-pr-42",
      hosts: ["pr-42.staging.sites.example.net"],
      urls: ["https://pr-42.staging.sites.example.net/"],
      archived: false,
      chart: "box-0.1.0",
      tag: "0.4.0-pr.42",
    });
  });

  test("the example sites/pr-42.yaml fits the box chart and deploys the same objects", async () => {
    const context = recordingContext("staging-pr-42");
    await stagingProgram(await repositorySite("pr-42.yaml", "Staging"), context, { helm })();
    await mocks.settle();
    expect(context.asked.sort()).toEqual(["STAGING_DB_PASSWORD", "STAGING_OIDC_CLIENT_SECRET"]);
    expect(mocks.children()).toHaveLength(11);
    const deployment = mocks.find("kubernetes:apps/v1:Deployment", "pr-42-deployment-pr-42-box");
    expect(JSON.stringify(deployment.inputs)).toContain('"BOX_SYNC_INTERVAL_SECONDS","value":"60"');
  });

  test("no secret value appears in any plain input; the Secret holds them as Pulumi secrets", async () => {
    await stagingProgram(boxStaging(), fixtureContext(), { helm })();
    await mocks.settle();
    for (const value of Object.values(fixtureSecrets)) {
      expect(mocks.plainOccurrences(value)).toEqual([]);
    }
    const secret = mocks.find("kubernetes:core/v1:Secret", "pr-42-secret-values");
    expect(isSecret(secret.inputs.stringData)).toBe(true);
    expect(reveal(secret.inputs.stringData)).toEqual({
      "site.oidcClientSecret": fixtureSecrets.PR42_OIDC_CLIENT_SECRET,
      "database.password": fixtureSecrets.PR42_DB_PASSWORD,
    });
  });

  test("the new tag reaches the box containers on update", async () => {
    await stagingProgram(boxStaging({ tag: "0.5.0" }), fixtureContext(), { helm })();
    await mocks.settle();
    const deployment = reveal(
      mocks.find("kubernetes:apps/v1:Deployment", "pr-42-deployment-pr-42-box").inputs,
    ) as { spec: { template: { spec: { containers: Array<{ image: string }> } } } };
    expect(deployment.spec.template.spec.containers.map((c) => c.image)).toEqual([
      "docker.io/juntoz/jzbox:0.5.0",
      "docker.io/juntoz/jzbox:0.5.0",
    ]);
  });

  test("an archived stack scales the web and the database to zero", async () => {
    const outputs = await stagingProgram(boxStaging(), fixtureContext("archived"), { helm })();
    await mocks.settle();
    const replicas = (type: string, name: string) =>
      (reveal(mocks.find(type, name).inputs) as { spec: { replicas: number } }).spec.replicas;
    expect(replicas("kubernetes:apps/v1:Deployment", "pr-42-deployment-pr-42-box")).toBe(0);
    expect(replicas("kubernetes:apps/v1:StatefulSet", "pr-42-statefulset-pr-42-box-database")).toBe(
      0,
    );
    expect(outputs).toMatchObject({ archived: true });
  });

  test("refuses a secret value typed into plain values, naming the secret but not its value", async () => {
    const leaky = boxStaging({
      values: { site: { id: "42", oidcClientId: fixtureSecrets.PR42_DB_PASSWORD } },
    });
    const run = stagingProgram(leaky, fixtureContext(), { helm })();
    await expect(run).rejects.toThrow(
      'Staging "pr-42":\n  the secret value "database.password" appears in plain text in ConfigMap/pr-42-box-settings at data.BOX_OIDC_CLIENT_ID: give secret values only in spec.secretValues',
    );
    await run.catch((error: Error) =>
      expect(error.message).not.toContain(fixtureSecrets.PR42_DB_PASSWORD),
    );
  });

  test("refuses a staging that does not fit its chart before running helm", async () => {
    const run = stagingProgram(boxStaging({ secretValues: {} }), fixtureContext(), {
      helm: "/nonexistent/helm",
    })();
    await expect(run).rejects.toThrow(
      'Staging "pr-42" does not fit chart "box":\n' +
        '  spec.secretValues: chart "box" needs the secret value "site.oidcClientSecret": add "site.oidcClientSecret": {secret: NAME}\n' +
        '  spec.secretValues: chart "box" needs the secret value "database.password": add "database.password": {secret: NAME}',
    );
  });

  test("reports helm's own error when the chart cannot render", async () => {
    const run = stagingProgram(
      boxStaging({ values: { ingress: { className: "" } } }),
      fixtureContext(),
      { helm },
    )();
    await expect(run).rejects.toThrow(
      /helm template .*charts\/box failed \(exit 1\): .*className/s,
    );
  });
});
