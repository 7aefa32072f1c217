import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { collectSiteFiles, formatProblem, loadSiteFiles } from "../../stacks/site-model/index.js";
import { validDocument, withField, yamlOf } from "./documents.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sitestack-cross-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, document: Record<string, unknown>): void {
  writeFileSync(join(dir, `${name}.yaml`), yamlOf(withField(document, "metadata.name", name)));
}

function box(code: string, siteId: number, domain: string): Record<string, unknown> {
  let document = withField(validDocument("BoxSite"), "spec.code", code);
  document = withField(document, "spec.siteId", siteId);
  return withField(document, "spec.domain", domain);
}

async function problems(): Promise<string[]> {
  const set = await loadSiteFiles(collectSiteFiles([dir]));
  return set.problems.map((p) => formatProblem(p).replace(`${dir}/`, ""));
}

describe("cross-file rules", () => {
  test("accepts distinct sites", async () => {
    write("acme", box("acme", 1, "acme.com"));
    write("beta", box("beta", 2, "beta.com"));
    expect(await problems()).toEqual([]);
  });

  test("rejects a box code used twice", async () => {
    write("acme", box("acme", 1, "acme.com"));
    write("beta", box("acme", 2, "beta.com"));
    expect(await problems()).toEqual([
      `beta.yaml:7:9: spec.code: "acme" is already the code of ${dir}/acme.yaml`,
    ]);
  });

  test("rejects a siteId used twice", async () => {
    write("acme", box("acme", 7, "acme.com"));
    write("beta", box("beta", 7, "beta.com"));
    expect(await problems()).toEqual([
      `beta.yaml:6:11: spec.siteId: 7 is already the siteId of ${dir}/acme.yaml`,
    ]);
  });

  test("rejects a box domain used twice", async () => {
    write("acme", box("acme", 1, "acme.com"));
    write("beta", box("beta", 2, "acme.com"));
    expect(await problems()).toEqual([
      `beta.yaml:8:11: spec.domain: "acme.com" is already served by ${dir}/acme.yaml`,
    ]);
  });

  test("rejects two HostRoutes for one domain", async () => {
    write("blog", validDocument("HostRoute"));
    write("blog2", validDocument("HostRoute"));
    expect(await problems()).toEqual([
      `blog2.yaml:6:11: spec.domain: "blog.marcosrgz.com" is already served by ${dir}/blog.yaml`,
    ]);
  });

  test("rejects a metadata.name used twice across folders", async () => {
    write("acme", box("acme", 1, "acme.com"));
    const other = mkdtempSync(join(tmpdir(), "sitestack-cross-other-"));
    try {
      writeFileSync(join(other, "acme.yaml"), yamlOf(validDocument("Staging")));
      const set = await loadSiteFiles(collectSiteFiles([dir, other]));
      expect(set.problems.map(formatProblem)).toEqual([
        `${other}/acme.yaml:4:9: metadata.name: "acme" is already the name of ${dir}/acme.yaml`,
      ]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  test("leaves files with their own problems out of cross-file rules", async () => {
    write("acme", box("acme", 1, "acme.com"));
    write("beta", withField(box("acme", 2, "beta.com"), "spec.replicas", 0));
    expect(await problems()).toEqual([
      "beta.yaml:18:13: spec.replicas: must be a whole number from 1 to 100, got the number 0",
    ]);
  });
});
