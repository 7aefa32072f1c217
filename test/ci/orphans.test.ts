import { describe, expect, test } from "vitest";
import { orphansOf } from "../../stacks/ci/orphans.js";
import type { StackStatusReport } from "../../stacks/manager/status-view.js";
import type { SiteFile } from "../../stacks/site-model/index.js";
import { parseSiteText } from "../../stacks/site-model/index.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repositoryRoot } from "./support/pr-repo.js";
import { stackReport } from "./support/stack-report.js";

function report(stack: string, kind: string): StackStatusReport {
  return stackReport(stack, kind, {
    file: `sites/${stack.replace(/^(site|staging)-/, "")}.yaml`,
    lastUpdate: {
      kind: "update",
      result: "succeeded",
      startTime: new Date("2026-11-01T10:00:00Z"),
      endTime: new Date("2026-11-01T10:01:00Z"),
    },
  });
}

function siteFile(name: string): SiteFile {
  const file = `sites/${name}.yaml`;
  const parsed = parseSiteText(readFileSync(join(repositoryRoot, file), "utf8"), file);
  if (!parsed.ok) throw new Error(`${file} does not parse`);
  return { file, spec: parsed.spec, problems: [], omittedProblems: 0 };
}

describe("orphansOf", () => {
  test("lists the backend's stacks no site file stands for, by name", () => {
    const orphans = orphansOf(
      [
        report("site-acme", "BoxSite"),
        report("site-gone", "BoxSite"),
        report("staging-pr-42", "Staging"),
      ],
      [siteFile("acme"), siteFile("pr-42")],
    );
    expect(orphans).toEqual([
      {
        stack: "site-gone",
        kind: "BoxSite",
        status: "Running",
        file: "sites/gone.yaml",
        lastChanged: "2026-11-01T10:01:00.000Z",
      },
    ]);
  });

  test("a stack of another kind than its file's is an orphan (site-pr-42 left when pr-42 became a Staging)", () => {
    const orphans = orphansOf([report("site-pr-42", "BoxSite")], [siteFile("pr-42")]);
    expect(orphans.map((orphan) => orphan.stack)).toEqual(["site-pr-42"]);
  });

  test("a file that does not parse keeps every stack its name may mean", () => {
    const broken: SiteFile = {
      file: "sites/acme.yaml",
      problems: [{ file: "sites/acme.yaml", line: 1, col: 1, path: "", message: "bad" }],
      omittedProblems: 0,
    };
    expect(
      orphansOf([report("site-acme", "BoxSite"), report("staging-acme", "Staging")], [broken]),
    ).toEqual([]);
  });
});
