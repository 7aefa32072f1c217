import { describe, expect, test } from "vitest";
import { stackNameOf } from "../../stacks/contract.js";
import { collectSiteFiles, loadSiteFiles } from "../../stacks/site-model/index.js";

describe("example site files in sites/", () => {
  test("are all valid, one per seed system, with the expected stacks", async () => {
    const set = await loadSiteFiles(collectSiteFiles(["sites"]));
    expect(set.problems).toEqual([]);
    const summary = set.files.map((file) => ({
      file: file.file,
      kind: file.spec?.kind,
      stack: file.spec && stackNameOf(file.spec),
    }));
    expect(summary).toEqual([
      { file: "sites/acme.yaml", kind: "BoxSite", stack: "site-acme" },
      { file: "sites/blog.yaml", kind: "HostRoute", stack: "site-blog" },
      { file: "sites/bodega.yaml", kind: "BoxSite", stack: "site-bodega" },
      { file: "sites/chefcito.yaml", kind: "App", stack: "site-chefcito" },
      { file: "sites/fiuba.yaml", kind: "App", stack: "site-fiuba" },
      { file: "sites/pr-42.yaml", kind: "Staging", stack: "staging-pr-42" },
    ]);
  });

  test("target both app platforms and use the box chart for the staging", async () => {
    const { files } = await loadSiteFiles(collectSiteFiles(["sites"]));
    const specs = files.map((file) => file.spec!);
    const targets = specs.flatMap((spec) => (spec.kind === "App" ? [spec.spec.target] : []));
    expect(targets.sort()).toEqual(["azure-container-apps", "kubernetes"]);
    const charts = specs.flatMap((spec) => (spec.kind === "Staging" ? [spec.spec.chart] : []));
    expect(charts).toEqual(["box"]);
  });
});
