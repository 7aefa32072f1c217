import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import {
  commentBudget,
  jobSummaryBudget,
  planMarker,
  renderPlanMarkdown,
  type FullTextPointer,
} from "../../stacks/ci/render-plan.js";
import type { CiPlan } from "../../stacks/ci/plan-model.js";
import { manySitesPlan, smallPlan } from "./support/plan-fixtures.js";

const goldenDir = join(dirname(fileURLToPath(import.meta.url)), "golden");

/** Compares with test/ci/golden/<name>; `UPDATE_GOLDEN=1` rewrites the file instead. */
function expectGolden(name: string, text: string): void {
  const file = join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, "utf8"));
}

const pointer: FullTextPointer = {
  runUrl: "https://github.com/acme/sites/actions/runs/123456789",
  artifact: "the artifact sitestack-plan (summary-full.md)",
};

describe("renderPlanMarkdown", () => {
  test("a small realistic plan, whole (golden)", () => {
    const text = renderPlanMarkdown(smallPlan(), { budget: commentBudget, pointer });
    expect(text.startsWith(`${planMarker}\n`)).toBe(true);
    expect(text).not.toContain("Shortened");
    expectGolden("plan-small.md", text);
  });

  test("200 changed sites stay under GitHub's comment limit and say where the whole text is (golden)", () => {
    const plan = manySitesPlan(200);
    const full = renderPlanMarkdown(plan);
    expect(full.length).toBeGreaterThan(65_536);
    const text = renderPlanMarkdown(plan, { budget: commentBudget, pointer });
    expect(text.length).toBeLessThanOrEqual(65_536 - 2_000);
    expect(text).toContain(
      "The whole plan is in the job summary of [this run](https://github.com/acme/sites/actions/runs/123456789) and the artifact sitestack\\-plan \\(summary\\-full\\.md\\)",
    );
    // Details go first, largest first: every site keeps its row.
    for (const site of plan.sites) expect(text).toContain(`| ${site.site.replace(/-/g, "\\-")} |`);
    expect(text.split("<details>").length - 1).toBeLessThan(200);
    expectGolden("plan-200-comment.md", text);
  });

  test("2,000 sites: rows are capped too, still under the limit", () => {
    const text = renderPlanMarkdown(manySitesPlan(2_000), { budget: commentBudget, pointer });
    expect(text.length).toBeLessThanOrEqual(commentBudget.limit);
    expect(text).toMatch(/\| … \d+ more sites in the full text \|/);
    expect(text).toContain("rows past the first");
    expect(text).not.toContain("<details>");
  });

  test("the job summary budget counts UTF-8 bytes", () => {
    const plan = manySitesPlan(200);
    const tight = { ...jobSummaryBudget, limit: 40_000 };
    const text = renderPlanMarkdown(plan, { budget: tight, pointer });
    expect(Buffer.byteLength(text, "utf8")).toBeLessThanOrEqual(40_000);
  });

  test("a budget smaller than the headline cuts the text and never splits a surrogate pair", () => {
    const text = renderPlanMarkdown(manySitesPlan(3), {
      budget: { limit: 300, measure: (t) => t.length },
      pointer,
    });
    expect(text.length).toBeLessThanOrEqual(300);
    expect(text).toContain("cut to fit");
    expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(text)).toBe(false);
  });

  test("text from files, git and the engine cannot form Markdown or HTML", () => {
    const plan = smallPlan();
    const hostile: CiPlan = {
      ...plan,
      head: { ...plan.head, ref: "evil](https://x.example/)<img src=x onerror=alert(1)>" },
      sites: [
        {
          ...plan.sites[0]!,
          site: "</summary><script>alert(1)</script>",
          reason: "| table | break\n# heading",
          warnings: ["<!-- sitestack:plan --> @everyone ![img](https://x.example/a.png)"],
        },
      ],
    };
    const text = renderPlanMarkdown(hostile);
    // Nothing unescaped: every "<", "]" and "!" of the hostile text has its backslash (or is an entity).
    expect(text).not.toMatch(/(?<!\\)<(script|img)/);
    expect(text.split("</summary>").length).toBe(text.split("<summary>").length);
    expect(text).not.toMatch(/(?<!\\)\]\(https/);
    expect(text).not.toMatch(/(?<!\\)!\[img/);
    expect(text).toContain("\\<img src\\=x onerror\\=alert\\(1\\)\\>");
    expect(text.split(planMarker).length - 1).toBe(1);
    expect(text).toContain("&lt;/summary&gt;&lt;script&gt;");
    expect(text).toContain("\\| table \\| break\\\\n\\# heading");
  });
});
