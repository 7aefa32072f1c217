import { describeTotals } from "../manager/changes.js";
import { escapeLine, escapeMarkdown } from "../escape.js";
import type { ApplyEntry, ApplyReport } from "./apply.js";
import { destroyTrailer } from "./approval.js";

/**
 * The Markdown of a `ci apply` run, for the job summary (`$GITHUB_STEP_SUMMARY`) and `--out`: a
 * table of what was applied, destroyed or refused, the deletions waiting for approval, and the
 * orphan stacks. Every user-controlled string (site names, paths, messages, output values) goes
 * through `escapeMarkdown`, so a file name cannot inject a link, an image or a table cell.
 */

const resultMark: Readonly<Record<ApplyEntry["result"], string>> = {
  succeeded: "✅ succeeded",
  failed: "❌ failed",
  refused: "⛔ refused",
  skipped: "➖ skipped",
};

const actionWords: Readonly<Record<ApplyEntry["action"], string>> = {
  up: "up",
  cleanup: "cleanup (approved)",
  refused: "destroy refused",
  none: "nothing to destroy",
};

// A message can be long (an engine failure); the table shows its first line, cut, and the section
// below it the whole first paragraph, cut again so one runaway message cannot fill the summary.
const maxCellCharacters = 120;
const maxMessageCharacters = 4_000;

function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function seconds(ms: number): string {
  return ms === 0 ? "—" : `${(ms / 1000).toFixed(1)}s`;
}

/** Outputs a site admin needs after an up: URLs and the ingress address, when there are any. */
function usefulOutputs(outputs: Readonly<Record<string, unknown>> | undefined): string {
  if (outputs === undefined) return "";
  const parts: string[] = [];
  const urls = outputs.urls ?? outputs.url;
  for (const url of Array.isArray(urls) ? urls : urls === undefined ? [] : [urls]) {
    if (typeof url === "string") parts.push(escapeMarkdown(url));
  }
  if (typeof outputs.ingressAddress === "string") {
    parts.push(`ingress ${escapeMarkdown(outputs.ingressAddress)}`);
  }
  return parts.join("<br>");
}

/** The summary's Markdown (pure). */
export function renderApplySummary(report: ApplyReport): string {
  const lines: string[] = [];
  const range = `${report.base.commit.slice(0, 12)}..${report.head.commit.slice(0, 12)}`;
  lines.push(`## sitestack ci apply · \`${range}\``, "");
  if (report.entries.length === 0) {
    lines.push("No site file changed in this range: nothing was applied.", "");
  } else {
    lines.push(
      "| site | change | action | result | status | resources | time | outputs |",
      "|---|---|---|---|---|---|---|---|",
    );
    for (const entry of report.entries) {
      lines.push(
        `| ${[
          `${escapeMarkdown(entry.site)}<br>${escapeMarkdown(entry.stack)}`,
          escapeMarkdown(entry.reason),
          actionWords[entry.action],
          resultMark[entry.result],
          entry.status ?? "—",
          entry.summary === undefined ? "—" : escapeMarkdown(describeTotals(entry.summary)),
          seconds(entry.durationMs),
          usefulOutputs(entry.outputs) || "—",
        ].join(" | ")} |`,
      );
    }
    lines.push("");
  }

  const refused = report.entries.filter((entry) => entry.result === "refused");
  if (refused.length > 0) {
    lines.push(
      "### Deletions waiting for approval",
      "",
      `These site files were removed, but no commit in the range carries the approval, so their stacks were left running. To destroy one, merge a commit whose message has the line \`${destroyTrailer}: <site>\` together with the file's removal (or run \`sitestack cleanup <stack>\`).`,
      "",
    );
    for (const entry of refused) {
      lines.push(
        `- ${escapeMarkdown(entry.stack)} (${escapeMarkdown(entry.path)}, ${entry.status ?? "status unknown"}): would be destroyed with \`${destroyTrailer}: ${escapeMarkdown(entry.site)}\``,
      );
    }
    lines.push("");
  }

  const failed = report.entries.filter((entry) => entry.result === "failed");
  if (failed.length > 0) {
    lines.push("### Failures", "");
    for (const entry of failed) {
      const paragraph = (entry.message ?? "unknown error").split("\n\n")[0] ?? "";
      lines.push(
        `<details><summary>${escapeMarkdown(entry.stack)}: ${escapeMarkdown(cut(paragraph.split("\n")[0] ?? "", maxCellCharacters))}</summary>`,
        "",
        ...cut(paragraph, maxMessageCharacters)
          .split("\n")
          .map((line) => `    ${escapeLine(line)}`),
        "",
        "</details>",
        "",
      );
    }
  }

  if (report.unusedApprovals.length > 0) {
    lines.push(
      "### Approvals that did nothing",
      "",
      ...report.unusedApprovals.map(
        (approval) =>
          `- \`${destroyTrailer}: ${escapeMarkdown(approval.name)}\` in ${approval.commit.slice(0, 12)}: no site file of that name was removed in this range`,
      ),
      "",
    );
  }

  lines.push("### Orphan stacks", "");
  if (report.orphans.length === 0) {
    lines.push("Every stack in the backend has a site file.", "");
  } else {
    lines.push(
      "Stacks with no site file (review stagings excepted). `ci apply` never touches them; `sitestack cleanup <stack>` removes one.",
      "",
      ...report.orphans.map(
        (orphan) =>
          `- ${escapeMarkdown(orphan.stack)} (${escapeMarkdown(orphan.kind)}, ${orphan.status}${orphan.file === undefined ? "" : `, was ${escapeMarkdown(orphan.file)}`}${orphan.lastChanged === undefined ? "" : `, last changed ${orphan.lastChanged}`})`,
      ),
      "",
    );
  }
  return `${lines.join("\n")}\n`;
}
