import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
// ajv 8 with ajv-formats (devDependencies): its default class validates draft-07, the draft the
// schema is written in, and the formats it uses ("email").
import { Ajv } from "ajv";
import ajvFormats from "ajv-formats";
import { load } from "js-yaml";
import { afterAll, describe, expect, test } from "vitest";
import { ValidationFailed } from "../../stacks/errors.js";
import { loadPlatformSettings, parsePlatformText } from "../../stacks/platform/file.js";
import { platformJsonSchema, platformJsonSchemaPath } from "../../stacks/platform/json-schema.js";
import { defaultPlatformSettings, kubernetesTargetOf } from "../../stacks/platform/settings.js";
import { siteStackManager } from "../../stacks/site-stacks.js";
import { runCliCaptured } from "../support/run-cli.js";

const projects: string[] = [];
afterAll(() => {
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});

/** A project folder holding `text` as its sitestack.yaml (or no platform file). */
function project(text?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "sitestack-platform-"));
  projects.push(dir);
  if (text !== undefined) writeFileSync(join(dir, "sitestack.yaml"), text);
  return dir;
}

const full = `apiVersion: sitestack/v1
kind: Platform
spec:
  testDomainBase: sites.acme.net
  routing: { kind: gateway, gatewayName: public, gatewayNamespace: gateway-system }
  acme: { environment: staging, email: ops@acme.net }
  ingressControllerNamespace: ingress-nginx
  clusters:
    prod: { context: prod-admin }
    qa: { kubeconfig: clusters/qa.yaml, context: qa }
    lab: { kubeconfig: ~/.kube/lab }
  defaultCluster: prod
  resources:
    requests: { cpu: 50m, memory: 64Mi }
    limits: { memory: 128Mi }
`;

describe("the platform file", () => {
  test("without one, a project gets the defaults", () => {
    expect(loadPlatformSettings(project(), {})).toEqual({
      ...defaultPlatformSettings,
      kubernetes: { mode: "render", directory: ".sitestack/rendered" },
    });
  });

  test("gives every setting, kubeconfig paths made absolute", () => {
    const dir = project(full);
    expect(loadPlatformSettings(dir, { SITESTACK_KUBERNETES: "cluster" })).toEqual({
      testDomainBase: "sites.acme.net",
      routing: { kind: "gateway", gatewayName: "public", gatewayNamespace: "gateway-system" },
      acmeEnvironment: "staging",
      acmeEmail: "ops@acme.net",
      ingressControllerNamespace: "ingress-nginx",
      clusters: {
        prod: { context: "prod-admin" },
        qa: { kubeconfig: join(dir, "clusters/qa.yaml"), context: "qa" },
        lab: { kubeconfig: join(homedir(), ".kube/lab") },
      },
      defaultCluster: "prod",
      resources: { cpuRequest: "50m", memoryRequest: "64Mi", memoryLimit: "128Mi" },
      kubernetes: { mode: "cluster" },
    });
  });

  test("fills what it leaves out with the defaults", () => {
    const settings = loadPlatformSettings(
      project("apiVersion: sitestack/v1\nkind: Platform\nspec: { testDomainBase: t.acme.net }\n"),
      {},
    );
    expect(settings).toMatchObject({
      testDomainBase: "t.acme.net",
      routing: defaultPlatformSettings.routing,
      acmeEnvironment: "production",
      clusters: {},
    });
  });

  test("is named by SITESTACK_PLATFORM_FILE, relative to the project", () => {
    const dir = project();
    mkdirSync(join(dir, "platform"));
    writeFileSync(join(dir, "platform", "qa.yaml"), full);
    const settings = loadPlatformSettings(dir, { SITESTACK_PLATFORM_FILE: "platform/qa.yaml" });
    expect(settings.testDomainBase).toBe("sites.acme.net");
    expect(() => loadPlatformSettings(dir, { SITESTACK_PLATFORM_FILE: "missing.yaml" })).toThrow(
      ValidationFailed,
    );
  });

  test("reports every problem with its line and column, like a site file", () => {
    const text = `apiVersion: sitestack/v1
kind: Platform
spec:
  testDomainBase: Sites.Example.net
  routing: { kind: traefik }
  acme: { environment: prod }
  clusters:
    prod: {}
  defaultCluster: staging
  resources:
    requests: { memory: 1Gi }
    limits: { memory: 512Mi }
  plan: gold
`;
    const parsed = parsePlatformText(text, "sitestack.yaml");
    expect(parsed.ok).toBe(false);
    expect(
      parsed.ok ? [] : parsed.problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`),
    ).toEqual([
      '4:19 spec.testDomainBase: must be lowercase (write "sites.example.net"), got "Sites.Example.net"',
      '5:20 spec.routing.kind: must be "ingress" or "gateway", got "traefik"',
      '6:24 spec.acme.environment: must be one of "staging" or "production", got "prod"',
      "8:11 spec.clusters.prod: needs a kubeconfig, a context or both",
      '9:19 spec.defaultCluster: must be one of clusters (prod), got "staging"',
      '11:25 spec.resources.requests.memory: must not exceed limits.memory (512Mi), got "1Gi"',
      '13:3 spec.plan: unknown field "plan"; allowed fields: testDomainBase, routing, acme, ingressControllerNamespace, clusters, defaultCluster, resources',
    ]);
  });

  test("a bad platform file stops the composition root: nothing runs with settings nobody wrote", () => {
    const dir = project("apiVersion: sitestack/v1\nkind: Platform\nspec: { routing: nginx }\n");
    expect(() => siteStackManager({ projectDir: dir, env: {} })).toThrow(ValidationFailed);
  });
});

describe("a site's cluster", () => {
  const platform = loadPlatformSettings(project(full), { SITESTACK_KUBERNETES: "cluster" });

  test("is the one it names, else the default cluster", () => {
    expect(kubernetesTargetOf(platform, "qa")).toMatchObject({ mode: "cluster", context: "qa" });
    expect(kubernetesTargetOf(platform, undefined)).toEqual({
      mode: "cluster",
      context: "prod-admin",
    });
  });

  test("must be one of the platform's", () => {
    expect(() => kubernetesTargetOf(platform, "dev")).toThrow(
      'cluster "dev" is not in the platform file (sitestack.yaml); its clusters: prod, qa, lab',
    );
  });

  test("does not matter while objects are rendered to files", () => {
    const rendering = loadPlatformSettings(project(full), {});
    expect(kubernetesTargetOf(rendering, "qa")).toEqual({
      mode: "render",
      directory: ".sitestack/rendered",
    });
  });
});

describe("schema/platform.schema.json", () => {
  test("is in sync with the zod schema (regenerate: npm run schema)", () => {
    expect(JSON.parse(readFileSync(platformJsonSchemaPath, "utf8"))).toEqual(platformJsonSchema());
  });

  test("accepts the project's sitestack.yaml and a full file, and refuses bad values", () => {
    const validate = ajvFormats.default(new Ajv({ allErrors: true })).compile(platformJsonSchema());
    expect(validate(load(readFileSync("sitestack.yaml", "utf8")))).toBe(true);
    expect(validate(load(full))).toBe(true);
    for (const spec of [
      { testDomainBase: "Sites.example.net" },
      { routing: { kind: "traefik" } },
      { acme: { email: "not-an-email" } },
      { clusters: { Prod: { context: "x" } } },
      { resources: { requests: { cpu: "lots" } } },
    ]) {
      expect(validate({ apiVersion: "sitestack/v1", kind: "Platform", spec })).toBe(false);
    }
  });
});

describe("sitestack validate checks the platform file and the clusters sites choose", () => {
  const workingDir = process.cwd();
  const staging = (cluster: string) =>
    `apiVersion: sitestack/v1\nkind: Staging\nmetadata: { name: pr-7 }\nspec:\n  chart: box\n  tag: "1.0"\n  cluster: ${cluster}\n`;

  async function validateIn(dir: string): Promise<{ code: number; stdout: string }> {
    process.chdir(dir);
    try {
      return await runCliCaptured(["validate", "sites"]);
    } finally {
      process.chdir(workingDir);
    }
  }

  test("a cluster the platform file does not name is a problem at spec.cluster", async () => {
    const dir = project(full);
    mkdirSync(join(dir, "sites"));
    writeFileSync(join(dir, "sites", "pr-7.yaml"), staging("dev"));
    const { code, stdout } = await validateIn(dir);
    expect(code).toBe(2);
    expect(stdout).toContain(
      'sites/pr-7.yaml:7:12: spec.cluster: must be one of the platform file\'s clusters (prod, qa, lab), got "dev"',
    );
    writeFileSync(join(dir, "sites", "pr-7.yaml"), staging("qa"));
    expect((await validateIn(dir)).code).toBe(0);
  });

  test("a bad platform file is listed with the site files' problems", async () => {
    const dir = project("apiVersion: sitestack/v1\nkind: Platform\nspec: { plan: gold }\n");
    mkdirSync(join(dir, "sites"));
    writeFileSync(join(dir, "sites", "pr-7.yaml"), staging("qa"));
    const { code, stdout } = await validateIn(dir);
    expect(code).toBe(2);
    expect(stdout).toContain('sitestack.yaml:3:9: spec.plan: unknown field "plan"');
  });
});
