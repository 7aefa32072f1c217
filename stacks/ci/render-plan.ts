import { escapeHtml, escapeMarkdown } from "../escape.js";
import type { NextSteps } from "../program/next-steps.js";
import { destroyTrailer } from "./approval.js";
import type { OrphanStack } from "./orphans.js";
import { stepSummaryLimitBytes } from "./step-summary.js";
import type { ChangeCounts, CiPlan, DeletionPlan, PlanProblem, SitePlan } from "./plan-model.js";

/**
 * The Markdown of a plan: pure functions from a {@link CiPlan} to text, so the summary a pull
 * request shows is tested without an engine (golden files in test/ci/golden/). Every piece of text
 * that comes from a site file, git, the engine or the backend is escaped for where it stands
 * (`escapeMarkdown` in Markdown, `escapeHtml` inside `<summary>`), so a file name or message
 * cannot form a link, an image, an HTML tag or a table cell of its own.
 *
 * Size-safe: {@link renderPlanMarkdown} with a budget never returns more than the budget. It
 * leaves out per-site details first (largest first), then table and list rows, and says where the
 * whole text is.
 */

/** The hidden marker on the first line: the comment upsert finds the plan's comment by it. */
export const planMarker = "<!-- sitestack:plan -->";

/** How much text may be rendered, and how it is measured. */
export interface RenderBudget {
  /** The most the text may measure. */
  readonly limit: number;
  /** The measure, additive over concatenation (UTF-16 code units, or UTF-8 bytes). */
  readonly measure: (text: string) => number;
}

/** GitHub refuses a comment body over this many characters. */
export const gitHubCommentLimit = 65_536;

/**
 * GitHub refuses a comment body over 65,536 characters. JavaScript's `length` counts UTF-16 code
 * units, never fewer than the characters GitHub counts (a character outside the BMP is two), so a
 * text within this many code units fits; 2,000 of margin leave room for what a caller wraps around
 * the summary.
 */
export const commentBudget: RenderBudget = {
  limit: gitHubCommentLimit - 2_000,
  measure: (text) => text.length,
};

/**
 * GitHub shows a step's `$GITHUB_STEP_SUMMARY` up to 1 MiB (bytes); a larger one is not shown at
 * all. 16 KiB of margin.
 */
export const jobSummaryBudget: RenderBudget = {
  limit: stepSummaryLimitBytes - 16 * 1024,
  measure: (text) => Buffer.byteLength(text, "utf8"),
};

/** No limit: the full text (`summary-full.md`). */
export const unlimited: RenderBudget = { limit: Number.POSITIVE_INFINITY, measure: () => 0 };

/** Where the whole text can be read when the rendered one is shortened. */
export interface FullTextPointer {
  /** The CI run's page (its job summary), when known: an `https:` URL. */
  readonly runUrl?: string;
  /** The artifact or file that holds `summary-full.md`, e.g. `the sitestack-plan artifact`. */
  readonly artifact: string;
}

/** Options of {@link renderPlanMarkdown}. */
export interface RenderPlanOptions {
  /** @default unlimited */
  readonly budget?: RenderBudget;
  /** Said when the text is shortened. */
  readonly pointer?: FullTextPointer;
}

const md = escapeMarkdown;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

const statusLabel: Readonly<Record<SitePlan["status"], string>> = {
  planned: "✅ planned",
  invalid: "⚠️ invalid",
  failed: "❌ failed",
};

/** `1 to create, 2 to update` or `no changes`. */
export function describeCounts(counts: ChangeCounts): string {
  const parts = (["create", "update", "replace", "delete"] as const)
    .filter((column) => counts[column] > 0)
    .map((column) => `${counts[column]} to ${column}`);
  return parts.length === 0 ? "no changes" : parts.join(", ");
}

function changeLabel(site: SitePlan): string {
  return site.change === "renamed" && site.previousPath !== undefined
    ? `renamed from ${md(site.previousPath)}`
    : site.change;
}

function siteRow(site: SitePlan): string {
  const cells = [
    md(site.site),
    changeLabel(site),
    md(site.kind ?? "?"),
    md(site.stack ?? "?"),
    String(site.counts.create),
    String(site.counts.update),
    String(site.counts.replace),
    String(site.counts.delete),
    statusLabel[site.status] +
      (site.unknownSecrets.length > 0 ? ` (${plural(site.unknownSecrets.length, "unknown")})` : ""),
  ];
  return `| ${cells.join(" | ")} |`;
}

const siteTableHead = [
  "| Site | Change | Kind | Stack | Create | Update | Replace | Delete | Status |",
  "|---|---|---|---|--:|--:|--:|--:|---|",
];

function nextStepLines(steps: NextSteps): string[] {
  const lines = [
    `- Test URL: ${md(steps.testUrl)} (answers ${steps.testUrlWorks === "now" ? "now" : steps.testUrlWorks})`,
    `- Ingress address: ${steps.ingressAddress === null ? md(steps.pending ?? "not known yet") : md(steps.ingressAddress)}`,
  ];
  for (const record of steps.dnsRecords) {
    lines.push(
      record.type === null || record.content === null
        ? `- DNS record to create for ${md(record.name)}: pointing at the ingress address, once it is known`
        : `- DNS record to create: ${md(record.name)} ${record.type} ${md(record.content)}`,
    );
  }
  return lines;
}

function outputLines(outputs: Readonly<Record<string, unknown>>): string[] {
  const lines: string[] = [];
  const urls = Array.isArray(outputs.urls)
    ? outputs.urls.filter((url): url is string => typeof url === "string")
    : [];
  if (urls.length > 0) lines.push(`- URLs: ${urls.map(md).join(", ")}`);
  if (typeof outputs.ingressAddress === "string" && outputs.ingressAddress !== "") {
    lines.push(`- Ingress address now: ${md(outputs.ingressAddress)}`);
  }
  return lines;
}

/** The collapsible section of one site: resource steps, what the site admin needs, warnings. */
export function siteDetails(site: SitePlan): string {
  const summary = `${escapeHtml(site.site)} · ${escapeHtml(site.stack ?? "no stack")} · ${site.status === "planned" ? describeCounts(site.counts) : site.status} · ${seconds(site.durationMs)}`;
  const lines = [
    "<details>",
    `<summary>${summary}</summary>`,
    "",
    `Why: ${md(site.reason)} (${md(site.path)})`,
  ];
  if (site.status === "invalid") {
    lines.push("", "Not previewed: the file has validation problems (listed below).");
  }
  if (site.error !== undefined) {
    lines.push("", "**Preview failed:**", "", ...site.error.split("\n").map((l) => `> ${md(l)}`));
  }
  if (site.resources.length > 0) {
    lines.push("", "| Step | Type | Name | Changed properties |", "|---|---|---|---|");
    for (const resource of site.resources) {
      lines.push(
        `| ${md(resource.op)} | ${md(resource.type)} | ${md(resource.name)} | ${resource.diffs.map(md).join(", ")} |`,
      );
    }
  } else if (site.status === "planned") {
    lines.push("", "No resource changes.");
  }
  const admin = [
    ...(site.nextSteps === undefined ? [] : nextStepLines(site.nextSteps)),
    ...outputLines(site.outputs),
  ];
  if (admin.length > 0) lines.push("", "**For the site admin**", "", ...admin);
  if (site.unknownSecrets.length > 0) {
    lines.push(
      "",
      `**Unknown in this preview** (this run has no value for them, as on a fork's pull request; \`up\` needs them): ${site.unknownSecrets.map(md).join(", ")}`,
    );
  }
  if (site.warnings.length > 0) {
    lines.push("", "**Warnings**", "", ...site.warnings.map((warning) => `- ${md(warning)}`));
  }
  lines.push("", "</details>");
  return lines.join("\n");
}

function deletionRow(deletion: DeletionPlan): string {
  const destroyed = deletion.resources.filter((resource) => !resource.retained);
  const kept = deletion.resources.filter((resource) => resource.retained);
  const what = !deletion.exists
    ? "nothing: the stack was never deployed"
    : deletion.error !== undefined
      ? `unknown: ${md(deletion.error)}`
      : destroyed.length === 0
        ? "no resources"
        : destroyed.map((resource) => `${md(resource.type)} ${md(resource.name)}`).join("<br>");
  const keptText =
    kept.length === 0
      ? "—"
      : kept.map((resource) => `${md(resource.type)} ${md(resource.name)}`).join("<br>");
  const cells = [
    md(deletion.path),
    md(deletion.stack ?? "?"),
    md(deletion.kind ?? "?"),
    md(deletion.status ?? "—"),
    what,
    keptText,
    deletion.exists ? md(`${destroyTrailer}: ${deletion.site}`) : "—",
  ];
  return `| ${cells.join(" | ")} |`;
}

const deletionHead = [
  "| Site file | Stack | Kind | Status | Resources | Data (kept by destroy) | To approve, a commit line |",
  "|---|---|---|---|---|---|---|",
];

function orphanRow(orphan: OrphanStack): string {
  return `| ${md(orphan.stack)} | ${md(orphan.kind)} | ${md(orphan.status)} | ${md(orphan.file ?? "—")} | ${md(orphan.lastChanged ?? "—")} |`;
}

const orphanHead = [
  "| Stack | Kind | Status | Last site file | Last changed |",
  "|---|---|---|---|---|",
];

function problemRow(problem: PlanProblem): string {
  return `- ${md(`${problem.file}:${problem.line}:${problem.col}`)}: ${problem.path === "" ? "" : `${md(problem.path)}: `}${md(problem.message)}`;
}

/** What is left out of a shortened text. */
interface Shortening {
  /** Indexes of sites whose details are left out. */
  readonly droppedDetails: ReadonlySet<number>;
  /** The most rows each table or list keeps. */
  readonly rowCap: number;
}

const keepAll: Shortening = { droppedDetails: new Set(), rowCap: Number.POSITIVE_INFINITY };

function capped(rows: readonly string[], cap: number, what: string): string[] {
  if (rows.length <= cap) return [...rows];
  return [
    ...rows.slice(0, cap),
    `| … ${plural(rows.length - cap, `more ${what}`)} in the full text |`,
  ];
}

function cappedList(rows: readonly string[], cap: number, what: string): string[] {
  if (rows.length <= cap) return [...rows];
  return [
    ...rows.slice(0, cap),
    `- … ${plural(rows.length - cap, `more ${what}`)} in the full text`,
  ];
}

function pointerText(pointer: FullTextPointer | undefined): string {
  if (pointer === undefined) return "the full text of this plan (summary-full.md)";
  const run =
    pointer.runUrl !== undefined && /^https:\/\/[^\s<>()]+$/.test(pointer.runUrl)
      ? `the job summary of [this run](${pointer.runUrl}) and `
      : "";
  return `${run}${md(pointer.artifact)}`;
}

function headline(plan: CiPlan): string {
  const sites = plan.sites.length;
  const parts = [
    plural(sites, "site") + " changed",
    ...(plan.deletions.length > 0 ? [`${plan.deletions.length} to delete`] : []),
    ...(plan.orphans.length > 0 ? [plural(plan.orphans.length, "orphan stack")] : []),
    plan.validation.valid
      ? plan.validation.files === 0
        ? "no site files"
        : `all ${plural(plan.validation.files, "site file")} valid`
      : plural(plan.validation.problems.length, "validation problem"),
  ];
  const icon = plan.result === "ok" ? "✅" : plan.result === "invalid" ? "⚠️" : "❌";
  return `### ${icon} sitestack plan: ${parts.join(" · ")}`;
}

function compose(plan: CiPlan, shortening: Shortening, pointer?: FullTextPointer): string {
  const out: string[] = [planMarker, headline(plan), ""];
  const short7 = (commit: string) => commit.slice(0, 7);
  out.push(
    `${plan.pullRequest === undefined ? "" : `Pull request #${plan.pullRequest}: `}head ${md(plan.head.ref)} (${short7(plan.head.commit)}) against base ${md(plan.base.ref)} (${short7(plan.base.commit)}), compared with their merge base ${short7(plan.mergeBase)}${plan.changedCharts.length > 0 ? `; changed charts: ${plan.changedCharts.map(md).join(", ")}` : ""}.`,
  );
  const shortened = shortening.droppedDetails.size > 0 || Number.isFinite(shortening.rowCap);
  if (shortened) {
    const left: string[] = [];
    if (shortening.droppedDetails.size > 0) {
      left.push(`the details of ${plural(shortening.droppedDetails.size, "site")}`);
    }
    if (Number.isFinite(shortening.rowCap)) left.push(`rows past the first ${shortening.rowCap}`);
    out.push(
      "",
      `> [!NOTE]\n> Shortened to fit GitHub's comment limit: ${left.join(" and ")} are left out here. The whole plan is in ${pointerText(pointer)}.`,
    );
  }
  const unknown = [...new Set(plan.sites.flatMap((site) => site.unknownSecrets))].sort();
  if (unknown.length > 0) {
    out.push(
      "",
      `> [!WARNING]\n> This run has no value for ${plural(unknown.length, "secret")} (a fork's pull request gets no secrets): they were previewed as unknown values, so resources that use them show as changing. Names: ${unknown.map(md).join(", ")}.`,
    );
  }
  if (plan.sites.length > 0) {
    out.push("", ...siteTableHead, ...capped(plan.sites.map(siteRow), shortening.rowCap, "site"));
    const details = plan.sites
      .map((site, index) => (shortening.droppedDetails.has(index) ? undefined : siteDetails(site)))
      .filter((text): text is string => text !== undefined);
    for (const text of details) out.push("", text);
  } else {
    out.push(
      "",
      "Nothing to preview: no site file is added, changed or renamed, and no chart a staging uses changed.",
    );
  }
  if (plan.deletions.length > 0) {
    out.push(
      "",
      "#### Deleted site files: what removing their stacks would delete",
      "",
      `Merging does not delete anything by itself. \`sitestack ci apply\` removes a stack only when a commit of this pull request carries the line \`${destroyTrailer}: <site>\`, and then runs \`cleanup\`: the resources and the data below are deleted. Without it the stack stays, listed as an orphan (see docs/ci.md).`,
      "",
      ...deletionHead,
      ...capped(plan.deletions.map(deletionRow), shortening.rowCap, "deleted file"),
    );
  }
  if (plan.orphans.length > 0) {
    out.push(
      "",
      "#### Orphan stacks: in the backend, with no site file",
      "",
      ...orphanHead,
      ...capped(plan.orphans.map(orphanRow), shortening.rowCap, "orphan"),
    );
  }
  if (!plan.validation.valid) {
    out.push(
      "",
      `#### Validation problems (${plan.validation.problems.length})`,
      "",
      ...cappedList(plan.validation.problems.map(problemRow), shortening.rowCap, "problem"),
    );
  }
  out.push(
    "",
    `<sub>sitestack ci plan · ${plural(plan.validation.files, "site file")} validated · ${plural(plan.sites.filter((site) => site.status !== "invalid").length, "preview")} · ${seconds(plan.durationMs)}</sub>`,
    "",
  );
  return out.join("\n");
}

/** The longest prefix of `text` within `limit` by `measure`, never splitting a surrogate pair. */
function cutToBudget(text: string, budget: RenderBudget, tail: string): string {
  let low = 0;
  let high = text.length;
  const room = budget.limit - budget.measure(tail);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (budget.measure(text.slice(0, mid)) <= room) low = mid;
    else high = mid - 1;
  }
  let end = low;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, Math.max(0, end)) + tail;
}

/**
 * The plan as Markdown within `budget`: the whole text when it fits; otherwise per-site details
 * are left out, largest first, then rows beyond a cap common to every table and list, with a note
 * naming what was left out and where the whole text is. Deterministic: the same plan and budget
 * give the same text.
 */
export function renderPlanMarkdown(plan: CiPlan, options: RenderPlanOptions = {}): string {
  const budget = options.budget ?? unlimited;
  const fits = (text: string) => budget.measure(text) <= budget.limit;
  const full = compose(plan, keepAll);
  if (fits(full)) return full;

  const pointer = options.pointer;
  const sizes = plan.sites.map((site, index) => ({
    index,
    size: budget.measure(siteDetails(site)) + budget.measure("\n\n"),
  }));
  sizes.sort((a, b) => b.size - a.size || a.index - b.index);
  const dropped = new Set<number>();
  let text = compose(plan, { droppedDetails: dropped, rowCap: Number.POSITIVE_INFINITY }, pointer);
  let next = 0;
  while (!fits(text) && next < sizes.length) {
    // Drop, largest first, as many sections as the excess calls for, then measure again (the
    // note's own length changes a little with the count).
    let excess = budget.measure(text) - budget.limit;
    while (excess > 0 && next < sizes.length) {
      const section = sizes[next++]!;
      dropped.add(section.index);
      excess -= section.size;
    }
    text = compose(plan, { droppedDetails: dropped, rowCap: Number.POSITIVE_INFINITY }, pointer);
  }
  if (fits(text)) return text;

  const longest = Math.max(
    plan.sites.length,
    plan.deletions.length,
    plan.orphans.length,
    plan.validation.problems.length,
  );
  let low = 0;
  let high = longest - 1;
  let best: string | undefined;
  while (low <= high) {
    const cap = Math.floor((low + high) / 2);
    const candidate = compose(plan, { droppedDetails: dropped, rowCap: cap }, pointer);
    if (fits(candidate)) {
      best = candidate;
      low = cap + 1;
    } else high = cap - 1;
  }
  if (best !== undefined) return best;
  // Only a budget smaller than the headline and notes gets here.
  return cutToBudget(
    compose(plan, { droppedDetails: dropped, rowCap: 0 }, pointer),
    budget,
    `\n\n… cut to fit; the whole plan is in ${pointerText(pointer)}.\n`,
  );
}
