import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import main, { siteFileOfStack } from "../../stacks/pulumi-main.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";

// Pulumi.yaml's program (stacks/pulumi-main.ts), run by the real engine. Plain `pulumi preview`
// cannot start it here (the Node.js language host cannot be built: docs/engine.md), so the same
// exported function runs as an inline program of a stack with the same name.
describe("the stack name picks the site file", () => {
  test.each([
    ["site-acme", "sites/acme.yaml"],
    ["staging-pr-42", "sites/pr-42.yaml"],
    ["site-a-b", "sites/a-b.yaml"],
  ])("%s → %s", (stack, file) => {
    expect(siteFileOfStack(stack)).toBe(file);
  });

  test.each(["acme", "dev", "site-", "sites-acme"])("%s names no site file", (stack) => {
    expect(siteFileOfStack(stack)).toBeUndefined();
  });
});

describe("Pulumi.yaml's program under the real engine", () => {
  let fixture: TestEngine;
  const secret = "pulumi-main-oidc-55c1";
  beforeAll(async () => {
    fixture = await startTestEngine();
  }, 600_000);
  afterAll(async () => {
    delete process.env.SITESTACK_SECRET_BODEGA_OIDC_CLIENT_SECRET;
    await fixture?.dispose();
  });

  test("stack site-bodega previews and updates sites/bodega.yaml", async () => {
    process.env.SITESTACK_SECRET_BODEGA_OIDC_CLIENT_SECRET = secret;
    const rendered = join(fixture.dir, "rendered");
    const stack = await fixture.inlineStack("sitestack", "site-bodega", main);
    await stack.setConfig("kubernetes:renderYamlToDirectory", { value: rendered });
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.namespace?.value).toBe("box-bodega");
    const manifests = readdirSync(join(rendered, "1-manifest"));
    expect(
      manifests.some((name) => /deployment/i.test(name)),
      manifests.join(", "),
    ).toBe(true);
    for (const name of manifests) {
      expect(readFileSync(join(rendered, "1-manifest", name), "utf8")).not.toContain(secret);
    }
  }, 300_000);

  test("a stack named after no valid site file fails with the file's problems", async () => {
    const stack = await fixture.inlineStack("sitestack", "site-missing", main);
    await expect(stack.preview()).rejects.toThrow(/sites\/missing\.yaml/);
    expect(existsSync("sites/missing.yaml")).toBe(false);
  }, 300_000);
});
