import { escapeWorkflowData, escapeWorkflowProperty } from "../escape.js";
import { formatProblem, type Problem } from "../site-model/index.js";
import type { ValidationReport } from "./report.js";

/** Problems as `file:line:col: field.path: message`, one per line. */
export function humanProblems(report: ValidationReport): string {
  return report.problems.map((problem) => `${formatProblem(problem)}\n`).join("");
}

/** One summary line: how many files were checked and how many are invalid. */
export function humanSummary(report: ValidationReport): string {
  const total = report.files.length;
  const files = `${total} site file${total === 1 ? "" : "s"}`;
  if (total === 0) return "no site files found\n";
  if (report.valid) return `${files} valid\n`;
  const invalid = report.files.filter((file) => !file.valid).length;
  const count = report.files.reduce((sum, file) => sum + file.problems, 0);
  return `${invalid} of ${files} invalid, ${count} problem${count === 1 ? "" : "s"}\n`;
}

/**
 * The whole report as one JSON document. `JSON.stringify` escapes every control character and
 * quote in strings, so no user-controlled text can break out of its string.
 */
export function jsonReport(report: ValidationReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** One GitHub Actions `::error` annotation per problem, so the PR shows each on its line. */
export function githubAnnotations(problems: readonly Problem[]): string {
  return problems
    .map((problem) => {
      const properties = [
        `file=${escapeWorkflowProperty(problem.file)}`,
        `line=${problem.line}`,
        `col=${problem.col}`,
        ...(problem.path === "" ? [] : [`title=${escapeWorkflowProperty(problem.path)}`]),
      ].join(",");
      return `::error ${properties}::${escapeWorkflowData(problem.message)}\n`;
    })
    .join("");
}
